import type { EventEmitter } from 'node:events';
import { backoffDelay } from '../async/backoff';
import { bounded } from '../async/bounded';
import type { RedisMode } from '../config/redis-settings';

/** SET's options the tier uses: a lifetime, and "only if absent" for the lock. */
export interface SetOptions {
  readonly px: number;
  readonly nx?: boolean;
}

/**
 * The few commands the shared tier sends, the same in every mode. Keys of one call share a
 * hash tag (one slot): the tier never sends a multi-key command across slots.
 */
export interface TierCommands {
  mGet(keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string, options: SetOptions): Promise<string | null>;
  exists(key: string): Promise<number>;
  sMembers(key: string): Promise<string[]>;
  del(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<number>;
  indexAdd(indexKey: string, member: string, ttlMs: number): Promise<number>;
  evictEntry(valueKey: string, tombKey: string, evictedAt: number, tombTtlMs: number): Promise<number>;
  lockRelease(lockKey: string, token: string): Promise<number>;
  lockExtend(lockKey: string, token: string, leaseMs: number): Promise<number>;
}

/** The link's two paths: commands, and the eviction channel's subscription. */
export type LinkPath = 'main' | 'subscriber';

/** What the link tells its owner: a path is (again) connected, or lost / failed to connect. */
export interface LinkEvents {
  ready(path: LinkPath): void;
  down(path: LinkPath, error?: unknown): void;
  /** An error that did not change a path's state (a cluster node's, a Sentinel's). */
  error(error: unknown): void;
}

/**
 * The shared tier's connection to Redis in any mode (standalone node, cluster, Sentinel-managed
 * master): commands, one subscription, readiness and close. RedisTier, RedisMintLock and
 * RedisEviction see only this.
 */
export interface RedisLink {
  readonly mode: RedisMode;
  readonly commands: TierCommands;
  /** Commands may be sent (connected). */
  readonly isReady: boolean;
  /** The subscription's connection is up. */
  readonly subscriberReady: boolean;
  /** Subscribes to one channel; resolves once subscribed (node-redis subscribes again after a reconnect). */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** Quits within `timeoutMs`, then drops what did not quit. */
  close(timeoutMs: number): Promise<void>;
  /** The node-redis objects behind each path, for their events (diagnostics and tests). */
  readonly emitters: Readonly<Record<LinkPath, EventEmitter>>;
}

/** Bounds and back-off of every connection. */
export interface LinkOptions {
  readonly connectTimeoutMs: number;
  readonly maxReconnectDelayMs: number;
  readonly readFile?: (path: string) => string;
}

/** The one back-off of reconnects (and of a cluster's or Sentinel set's new first attempt). */
export function reconnectDelay(retries: number, maxMs: number): number {
  return backoffDelay(retries + 1, { firstMs: 100, maxMs, jitter: 'spread' });
}

/** What every node-redis commander (client, cluster, Sentinel) offers the tier, with its scripts. */
export interface Commander {
  mGet(keys: string[]): Promise<unknown>;
  set(key: string, value: string, options: object): Promise<unknown>;
  exists(key: string): Promise<unknown>;
  sMembers(key: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  indexAdd(keys: string[], member: string, ttlMs: number): Promise<unknown>;
  evictEntry(valueKey: string, tombKey: string, evictedAt: number, tombTtlMs: number): Promise<unknown>;
  lockRelease(lockKey: string, token: string): Promise<unknown>;
  lockExtend(lockKey: string, token: string, leaseMs: number): Promise<unknown>;
}

/** The tier's commands on any node-redis commander. */
export function commandsOf(c: Commander): TierCommands {
  return {
    mGet: async (keys) => (await c.mGet(keys)) as Array<string | null>,
    set: async (key, value, o) =>
      (await c.set(key, value, {
        expiration: { type: 'PX', value: o.px },
        ...(o.nx ? { condition: 'NX' } : {}),
      })) as string | null,
    exists: async (key) => Number(await c.exists(key)),
    sMembers: async (key) => (await c.sMembers(key)) as string[],
    del: async (key) => Number(await c.del(key)),
    publish: async (channel, message) => Number(await c.publish(channel, message)),
    indexAdd: async (indexKey, member, ttlMs) => Number(await c.indexAdd([indexKey], member, ttlMs)),
    evictEntry: async (v, t, at, ttl) => Number(await c.evictEntry(v, t, at, ttl)),
    lockRelease: async (key, token) => Number(await c.lockRelease(key, token)),
    lockExtend: async (key, token, leaseMs) => Number(await c.lockExtend(key, token, leaseMs)),
  };
}

/** Closes within the bound, else destroys; never rejects. */
export async function closeWithin(
  timeoutMs: number,
  close: () => Promise<unknown>,
  destroy: () => unknown,
  ready: boolean,
): Promise<void> {
  if (ready) {
    const closed = await bounded(timeoutMs, close);
    if (closed.ok) return;
  }
  try {
    await Promise.resolve(destroy());
  } catch {
    // already closed
  }
}

/** Offline commands are refused rather than queued; the maintenance push notifications are off. */
export const NODE_DEFAULTS = { disableOfflineQueue: true, maintNotifications: 'disabled' } as const;
