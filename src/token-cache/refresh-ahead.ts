import type { Clock } from '../clock/clock';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { MintIdentity } from '../mint/mint.types';
import type { RefreshOutcome } from '../shared-tier/fleet-observer';
import type { KeyRecord, KeyRecords, Mint, RefreshState } from './key-records';
import { afterFailedRefresh } from './refresh-ahead.policy';
import { refreshAt, RefreshSettings } from '../lifetime/lifetime.rule';

/** How to mint a key again. */
export interface Remint {
  readonly identity: MintIdentity;
  readonly mint: Mint;
}

export interface RefreshAheadOptions {
  readonly enabled: boolean;
  readonly settings: RefreshSettings;
  readonly clock: Clock;
  /** The cache's records: refresh-ahead's state of a key lives in its record. */
  readonly records: KeyRecords;
  /** Re-mints the key in the background; the cache stores (and follows) the new record. */
  readonly refresh: (key: string, state: RefreshState) => Promise<void>;
  /** A refresh failed for good (a refusal, or no time left): the entry must not be served again. */
  readonly drop: (key: string) => void;
  readonly observe: (outcome: RefreshOutcome) => void;
  /** How often due records are looked for (real time); they are due on the injected clock. */
  readonly tickMs?: number;
}

/**
 * Refresh-ahead: each cached entry is followed until its refresh time, when it is re-minted in
 * the background if it was requested since its last mint, and let go otherwise. A cache hit
 * only sets a flag on its record (`touch`): no timer and no Redis round trip per request. One
 * unref'd interval per cache scans the records for due ones (at most the cache's bound), so the
 * process never waits on it and a clock moved by tests is followed within a tick; `stop`
 * clears it.
 */
export class RefreshAhead {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly o: RefreshAheadOptions) {}

  get enabled(): boolean {
    return this.o.enabled && !this.stopped;
  }

  /** Follows a newly stored record (minted here, or read from the shared tier). */
  track(record: KeyRecord, remint: Remint): void {
    if (!this.enabled) return;
    const { identity, mint } = remint;
    record.refresh = { identity, mint, retryAt: undefined, requested: false, failures: 0, running: false };
    this.start();
  }

  /** A cache hit: the entry is in use. */
  touch(record: KeyRecord): void {
    if (record.refresh) record.refresh.requested = true;
  }

  /**
   * A request found the entry past its refresh time (still servable): refresh it now unless a
   * refresh runs or is backing off after a failure. The request is answered from the cache.
   */
  due(key: string, record: KeyRecord, remint: Remint): void {
    if (!this.enabled) return;
    if (!record.refresh) this.track(record, remint);
    const state = record.refresh!;
    state.requested = true;
    if (!state.running && state.failures === 0) this.fire(key, record, state);
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
    const now = this.o.clock();
    for (const [key, record] of this.o.records.all()) {
      const state = record.refresh;
      if (!state || state.running) continue;
      // Computed, not stored: one number less per followed key.
      if ((state.retryAt ?? refreshAt(record.entry, this.o.settings)) <= now) this.fire(key, record, state);
    }
  }

  private start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 250);
    this.timer.unref();
  }

  private fire(key: string, record: KeyRecord, state: RefreshState): void {
    // Nobody asked for it since its mint: left to expire (it ages out of the store by itself).
    if (!state.requested) {
      record.refresh = undefined;
      this.o.observe('skipped_idle');
      return;
    }
    state.running = true;
    this.o.refresh(key, state).then(
      () => this.o.observe('refreshed'),
      async (e: unknown) => {
        state.running = false;
        // A record replaced meanwhile (a request minted) has a state of its own.
        if ((await this.o.records.stored(key)) === record && record.refresh === state)
          this.failed(key, record, state, e);
        this.o.observe('failed');
      },
    );
  }

  /** After a failed refresh: tried again after the back-off, or dropped (see afterFailedRefresh). */
  private failed(key: string, record: KeyRecord, state: RefreshState, e: unknown): void {
    state.failures++;
    const error = e instanceof EcrAuthError ? e : new EcrAuthError('INTERNAL', 'refresh failed', { cause: e });
    const next = afterFailedRefresh(error, state.failures, record.entry, this.o.clock(), this.o.settings);
    if (next === 'drop') {
      record.refresh = undefined;
      this.o.drop(key);
    } else {
      state.retryAt = next;
    }
  }
}
