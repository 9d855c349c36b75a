import { EcrAuthError } from '../errors/ecr-auth.error';
import type { Clock } from '../clock/clock';
import { DueQueue } from './due-queue';
import type { RefreshOutcome } from './fleet-observer';
import { afterFailedRefresh, atRefreshTime } from './refresh-ahead.policy';
import { Lifetime, refreshAt, RefreshSettings } from './refresh-policy';

/** What a background refresh of a key needs: how to mint it again, and the entry it replaces. */
export interface AheadJob<M> {
  readonly mint: M;
  readonly entry: Lifetime;
  requested: boolean;
  failures: number;
  running: boolean;
}

export interface RefreshAheadOptions<M> {
  readonly enabled: boolean;
  readonly settings: RefreshSettings;
  readonly clock: Clock;
  /** Most keys followed at once; past it the oldest is let go (its entry just expires). */
  readonly maxKeys: number;
  /** Re-mints the key in the background; the cache calls `track` with the new entry. */
  readonly refresh: (key: string, job: AheadJob<M>) => Promise<void>;
  /** A refresh failed for good (a refusal, or no time left): the entry must not be served again. */
  readonly drop: (key: string) => void;
  readonly observe: (outcome: RefreshOutcome) => void;
  /** How often due keys are looked for (real time); they are due on the injected clock. */
  readonly tickMs?: number;
}

/**
 * Refresh-ahead: each cached entry is followed until its refresh time, when it is re-minted in
 * the background if it was requested since its last mint, and let go otherwise. A cache hit
 * only sets a flag (`touch`): no timer and no Redis round trip per request. One unref'd
 * interval per cache looks for due keys, so the process never waits on it and a clock moved
 * by tests is followed within a tick; `stop` clears it.
 */
export class RefreshAhead<M> {
  private readonly jobs = new Map<string, AheadJob<M>>();
  private readonly queue = new DueQueue();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly o: RefreshAheadOptions<M>) {}

  get enabled(): boolean {
    return this.o.enabled && !this.stopped;
  }

  /** Follows a newly stored entry (minted here, or read from the shared tier). */
  track(key: string, mint: M, entry: Lifetime): void {
    if (!this.enabled) return;
    this.jobs.delete(key);
    if (this.jobs.size >= this.o.maxKeys) this.forget(this.jobs.keys().next().value!);
    this.jobs.set(key, { mint, entry, requested: false, failures: 0, running: false });
    this.queue.schedule(key, refreshAt(entry, this.o.settings));
    this.start();
  }

  /** A cache hit: the entry is in use. */
  touch(key: string): void {
    const job = this.jobs.get(key);
    if (job) job.requested = true;
  }

  /**
   * A request found the entry past its refresh time (still servable): refresh it now unless a
   * refresh runs or is backing off after a failure. The request is answered from the cache.
   */
  due(key: string, mint: M, entry: Lifetime): void {
    if (!this.enabled) return;
    let job = this.jobs.get(key);
    if (!job) {
      this.track(key, mint, entry);
      job = this.jobs.get(key)!;
    }
    job.requested = true;
    if (!job.running && job.failures === 0) {
      this.queue.cancel(key);
      this.fire(key, job);
    }
  }

  forget(key: string): void {
    this.jobs.delete(key);
    this.queue.cancel(key);
  }

  /** At shutdown: no new refresh starts; those running finish by themselves. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs what is due now (the interval calls it; so may tests). */
  tick(): void {
    if (!this.enabled) return;
    for (const key of this.queue.take(this.o.clock())) {
      const job = this.jobs.get(key);
      if (job && !job.running) this.fire(key, job);
    }
  }

  private start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 250);
    this.timer.unref();
  }

  private fire(key: string, job: AheadJob<M>): void {
    if (atRefreshTime(job.requested) === 'skip-idle') {
      this.forget(key);
      this.o.observe('skipped_idle');
      return;
    }
    job.running = true;
    this.o.refresh(key, job).then(
      () => this.o.observe('refreshed'),
      (e: unknown) => {
        job.running = false;
        this.o.observe('failed');
        if (this.jobs.get(key) !== job) return;
        job.failures++;
        const error = e instanceof EcrAuthError ? e : new EcrAuthError('INTERNAL', 'refresh failed', { cause: e });
        const next = afterFailedRefresh(error, job.failures, job.entry, this.o.clock(), this.o.settings);
        if (next === 'drop') {
          this.forget(key);
          this.o.drop(key);
        } else {
          this.queue.schedule(key, next);
        }
      },
    );
  }
}
