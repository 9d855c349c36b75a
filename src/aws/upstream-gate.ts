import type { Hop } from './aws-error.mapper';
import { isAccountId } from '../registry/aws-names';

/** What the gate reports of each call it let through (metrics plug in here). */
export interface GateObserver {
  /** A slot was granted after `waitedMs` in the queue (0: at once). */
  granted(waitedMs: number): void;
}

interface Waiter {
  readonly grant: () => void;
  readonly since: number;
}

/**
 * At most `limit` upstream calls in flight; callers beyond it wait in turn by group (the
 * customer account): round robin between groups that are waiting, FIFO within one, so one
 * account's burst cannot hold up another account's call. A waiter whose signal aborts (its
 * request deadline) leaves the queue. No timer: a slot is handed over when one is released.
 */
export class UpstreamGate {
  private running = 0;
  /** Waiting callers by group; a group is in `turns` exactly while it has waiters. */
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly turns: string[] = [];
  private queued = 0;
  private observer?: GateObserver;

  constructor(
    readonly limit: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Where grants are reported; one observer. */
  observe(observer: GateObserver): void {
    this.observer = observer;
  }

  /** Calls in flight now. */
  get inFlight(): number {
    return this.running;
  }

  /** Callers waiting for a slot now. */
  get depth(): number {
    return this.queued;
  }

  /**
   * Resolves with the slot's release once the caller may call; rejects with the signal's
   * reason if it aborts first. Release exactly once.
   */
  acquire(group: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.running < this.limit && this.queued === 0) {
      this.running++;
      this.observer?.granted(0);
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const since = this.now();
      const onAbort = () => {
        if (this.remove(group, waiter)) reject(abortReason(signal!));
      };
      const waiter: Waiter = {
        since,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          this.observer?.granted(this.now() - since);
          resolve(this.releaser());
        },
      };
      let list = this.waiting.get(group);
      if (!list) {
        this.waiting.set(group, (list = []));
        this.turns.push(group);
      }
      list.push(waiter);
      this.queued++;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.next();
    };
  }

  /** Hands free slots to waiters: the group whose turn it is, its oldest waiter. */
  private next(): void {
    while (this.running < this.limit && this.turns.length > 0) {
      const group = this.turns.shift()!;
      const list = this.waiting.get(group)!;
      const waiter = list.shift()!;
      if (list.length > 0) this.turns.push(group);
      else this.waiting.delete(group);
      this.queued--;
      this.running++;
      waiter.grant();
    }
  }

  private remove(group: string, waiter: Waiter): boolean {
    const list = this.waiting.get(group);
    const i = list ? list.indexOf(waiter) : -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    this.queued--;
    if (list.length === 0) {
      this.waiting.delete(group);
      this.turns.splice(this.turns.indexOf(group), 1);
    }
    return true;
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** No limit (unit specs of the callers, tools): every call goes at once. */
export const unlimitedGate = (): UpstreamGate => new UpstreamGate(Number.MAX_SAFE_INTEGER);

/**
 * The group a call waits in: the customer account it is made for (from the role's ARN, or a
 * static key's registry), or `service` for the service's own calls (its identity, the jump
 * role, which every customer shares). Never logged or labelled: it only orders the queue.
 */
export function fairnessGroup(hop: Hop): string {
  if (hop.step === 'customer') return accountOfArn(hop.roleArn) ?? 'service';
  if (hop.step === 'ecr') return (hop.roleArn && accountOfArn(hop.roleArn)) ?? accountOfHost(hop.registry) ?? 'public';
  return 'service';
}

function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && isAccountId(account) ? account : undefined;
}

function accountOfHost(host: string): string | undefined {
  const account = host.split('.')[0];
  return isAccountId(account) ? account : undefined;
}
