/**
 * What stands between a call's arrival and its answer: holds, waiters, emulated latency and
 * injected faults; and the close that ends them all. Tests pause a call, or wait for one,
 * through these instead of sleeping.
 */
import { setMaxListeners } from 'node:events';
import { sleep } from '../../src/async/sleep';
import type { CallRecord, Fault } from './emulator.types';
import { FaultQueue } from './fault.queue';

type Matcher = (c: CallRecord) => boolean;

/** The holds, waiters, latency and faults of one emulator. */
export class CallControls {
  readonly faults = new FaultQueue();
  /** Real delay added before every answer. */
  latencyMs: number;
  private readonly holds: Array<{ matches: Matcher; released: Promise<void> }> = [];
  private readonly waiters: Array<{ matches: Matcher; resolve: (c: CallRecord) => void }> = [];
  /** Aborted at close: emulated latency and holds end with it. */
  private readonly closing = new AbortController();
  private readonly closed$ = new Promise<void>((resolve) =>
    this.closing.signal.addEventListener('abort', () => resolve(), { once: true }),
  );

  constructor(latencyMs = 0) {
    this.latencyMs = latencyMs;
    // Every call in flight listens for the close (emulated latency, holds).
    setMaxListeners(0, this.closing.signal);
  }

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Ends every hold and every emulated delay. */
  close(): void {
    this.closing.abort();
  }

  /** Holds every call from now on that `matches` until `release()` (or the close). */
  hold(matches: Matcher): { release: () => void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const entry = { matches, released };
    this.holds.push(entry);
    return {
      release: () => {
        const i = this.holds.indexOf(entry);
        if (i >= 0) this.holds.splice(i, 1);
        release();
      },
    };
  }

  /** Resolves with the first call, from now on, that `matches`. */
  nextCall(matches: Matcher): Promise<CallRecord> {
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }

  /** Announces a call to the waiters it matches (each waiter hears one call). */
  arrived(record: CallRecord): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (!w.matches(record)) continue;
      this.waiters.splice(i, 1);
      w.resolve(record);
    }
  }

  /**
   * Waits out the holds on a call and the latency, then takes the fault queued for it (none once
   * closed), noted on its record; a latency fault is waited out here too.
   */
  async before(record: CallRecord): Promise<Fault | undefined> {
    const holds = this.holds.filter((h) => h.matches(record)).map((h) => h.released);
    if (holds.length > 0) await Promise.race([Promise.all(holds), this.closed$]);
    await sleep(this.latencyMs, this.closing.signal);
    const fault = this.closed ? undefined : this.faults.take(record.service, record.action);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'latency') await sleep(fault.delayMs, this.closing.signal);
    return fault;
  }
}
