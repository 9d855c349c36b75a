import KeyvRedis, { createClient, Keyv } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { CachedLogin } from './cached-login';
import type { SharedTier } from './shared-tier';
import { ValueCipher } from './value-cipher';

export interface RedisTierOptions {
  /** redis:// or rediss:// URL (user, password and database number may be in it). */
  readonly url: string;
  /** ECR_AUTH_CACHE_ENCRYPTION_KEY: the first seals, all open. */
  readonly encryptionKeys: readonly Buffer[];
  /** Namespace of every key and of the channel; `ecr-auth` unless tests isolate a run. */
  readonly prefix?: string;
  /** Bound of `get`, on the request path. Default 100 ms. */
  readonly getTimeoutMs?: number;
  /** Bound of a background `set` (index and value). Default 1000 ms. */
  readonly setTimeoutMs?: number;
  /** Bound of `evict` (an operator request). Default 2000 ms. */
  readonly evictTimeoutMs?: number;
  /** Bound of `close` per connection, after which the connection is dropped. Default 1000 ms. */
  readonly closeTimeoutMs?: number;
  /** TCP (and TLS) connect timeout of one attempt. Default 1000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest wait between reconnect attempts (exponential back-off from 100 ms, with jitter). Default 5000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Where state changes are logged; Nest's Logger under `SharedCache` by default. */
  readonly logger?: Pick<Logger, 'log' | 'warn'>;
}

type RedisClient = ReturnType<typeof createClient>;
type Connection = 'main' | 'subscriber';

/** Adds cache keys to label indexes; an index lives at least as long as its longest-lived key. */
const INDEX_SCRIPT = `
for _, idx in ipairs(KEYS) do
  redis.call('SADD', idx, ARGV[1])
  if redis.call('PTTL', idx) < tonumber(ARGV[2]) then redis.call('PEXPIRE', idx, ARGV[2]) end
end
return #KEYS`;

const MAX_LABEL_CHARS = 2048;
/** An index outlives its entries by this much (it is written just before them). */
const INDEX_SLACK_MS = 60_000;

/**
 * The shared tier of the token cache, in Redis.
 *
 * - Values: `<prefix>:<cache key>` → a sealed string (see ValueCipher), with the entry's TTL,
 *   written through Keyv over @keyv/redis. The cache key is already an HMAC: nothing secret
 *   is ever in a Redis key, and nothing clear in a value.
 * - Label indexes: `<prefix>:idx:<sha256(label) hex>`, a SET of cache keys, so that eviction
 *   by role ARN or registry reaches entries other replicas wrote.
 * - Eviction fan-out: PUBLISH on `<prefix>:evict` of `{"from": <instance id>, "label"}`,
 *   received on a second connection; a replica ignores its own messages.
 *
 * Never throws and never makes a caller wait longer than its bound. While Redis is down the
 * tier is a no-op (`get` misses at once, `set` is skipped) and the client reconnects in the
 * background; offline commands are refused rather than queued (`disableOfflineQueue`).
 */
export class RedisTier implements SharedTier {
  readonly instanceId = randomUUID();
  private readonly cipher: ValueCipher;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly client: RedisClient;
  private readonly subscriber: RedisClient;
  private readonly values: Keyv<string>;
  private readonly listeners: Array<(label: string) => void> = [];
  private readonly logger: Pick<Logger, 'log' | 'warn'>;
  private readonly target: string;
  private readonly password: string | undefined;
  private readonly t: Required<Pick<RedisTierOptions, 'getTimeoutMs' | 'setTimeoutMs' | 'evictTimeoutMs' | 'closeTimeoutMs'>>;
  /** The state last logged per connection, so that errors are logged once per state change. */
  private readonly logged: Record<Connection, 'up' | 'down' | undefined> = { main: undefined, subscriber: undefined };
  private opFailureLogged = false;
  /** Until the first connection attempt ends, `get` may wait (within its bound) for it. */
  private starting = true;
  private readonly firstAttempt: Promise<void>;
  private readonly subscribed: Promise<void>;
  private closing: Promise<void> | undefined;

  constructor(options: RedisTierOptions) {
    this.cipher = new ValueCipher(options.encryptionKeys);
    this.prefix = options.prefix ?? 'ecr-auth';
    this.channel = `${this.prefix}:evict`;
    this.logger = options.logger ?? new Logger('SharedCache');
    this.t = {
      getTimeoutMs: options.getTimeoutMs ?? 100,
      setTimeoutMs: options.setTimeoutMs ?? 1000,
      evictTimeoutMs: options.evictTimeoutMs ?? 2000,
      closeTimeoutMs: options.closeTimeoutMs ?? 1000,
    };
    ({ target: this.target, password: this.password } = describeUrl(options.url));
    const maxDelay = options.maxReconnectDelayMs ?? 5000;

    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      maintNotifications: 'disabled',
      socket: {
        connectTimeout: options.connectTimeoutMs ?? 1000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 10), maxDelay) * (0.75 + Math.random() / 2),
      },
    });
    // Subscriptions are not on the request path: they may wait for the connection.
    this.subscriber = this.client.duplicate({ disableOfflineQueue: false });

    const store = new KeyvRedis<string>(this.client, { keyPrefixSeparator: ':', throwOnErrors: true, throwOnConnectError: true, useUnlink: false });
    // The tier owns the connection: the adapter must never (re)open it itself, e.g. when a late
    // write runs after close() (its getClient connects a closed client).
    store.getClient = async () => this.client;
    this.values = new Keyv<string>(store, {
      namespace: this.prefix,
      useKeyPrefix: false,
      throwOnErrors: true,
      // Only the sealed string is stored: no JSON envelope, Redis keeps the TTL.
      serialize: (data) => String(data.value),
      deserialize: <Value>(text: string) => ({ value: text as Value }),
    });
    this.values.on('error', () => undefined); // reported through the client's events and the operations' failures

    this.firstAttempt = new Promise<void>((resolve) => {
      this.client.once('ready', resolve);
      this.client.once('error', resolve);
    }).then(() => {
      this.starting = false;
    });
    this.watch('main', this.client);
    this.watch('subscriber', this.subscriber);
    this.client.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
    this.subscribed = this.subscriber
      .subscribe(this.channel, (message) => this.received(message))
      .catch(() => undefined);
  }

  state(): 'up' | 'down' {
    return !this.closing && this.client.isReady ? 'up' : 'down';
  }

  /**
   * Resolves true once connected and subscribed to evictions; false as soon as the first
   * connection attempt failed (the tier is down and reconnects in the background), or after
   * `timeoutMs`. For start-up (see SharedTierLifecycle) and tests. Never rejects.
   */
  async whenReady(timeoutMs = 2000): Promise<boolean> {
    const ready = (async () => {
      await this.firstAttempt;
      if (!this.client.isReady) return false;
      // The first SUBSCRIBE; if it fails, the client subscribes again whenever it reconnects.
      await this.subscribed;
      while (!this.closing && !this.subscriber.isReady) await sleep(10);
      return !this.closing;
    })();
    const result = await bounded(timeoutMs, ready);
    return result.ok && result.value && this.state() === 'up';
  }

  async get(key: string): Promise<CachedLogin | undefined> {
    if (this.closing || (!this.client.isReady && !this.starting)) return undefined;
    const result = await bounded(this.t.getTimeoutMs, async () => {
      if (this.starting) await this.firstAttempt;
      if (this.closing || !this.client.isReady) return undefined;
      const sealed = await this.values.get(key);
      return sealed === undefined ? undefined : this.cipher.open(key, sealed);
    });
    if (!result.ok) this.failed('get', result.error);
    return result.ok ? result.value : undefined;
  }

  set(key: string, value: CachedLogin, ttlMs: number, labels: readonly string[]): void {
    if (this.closing || !this.client.isReady || !(ttlMs > 0)) return;
    void bounded(this.t.setTimeoutMs, async () => {
      const sealed = this.cipher.seal(key, value);
      const ttl = Math.ceil(ttlMs);
      // Index first: a value that exists in Redis is always reachable by its labels.
      if (labels.length > 0) {
        this.assertUsable();
        await this.client.sendCommand(['EVAL', INDEX_SCRIPT, String(labels.length), ...labels.map((l) => this.indexKey(l)), key, String(ttl + INDEX_SLACK_MS)]);
      }
      this.assertUsable();
      await this.values.set(key, sealed, ttl);
    }).then((result) => {
      if (!result.ok) this.failed('set', result.error);
    });
  }

  async evict(label: string): Promise<number> {
    if (this.closing || !this.client.isReady) return 0;
    const result = await bounded(this.t.evictTimeoutMs, async () => {
      const index = this.indexKey(label);
      const keys = await this.client.sMembers(index);
      let deleted = 0;
      if (keys.length > 0) {
        const replies = await this.client
          .multi()
          .del(keys.map((k) => this.valueKey(k)))
          .del(index)
          .exec();
        deleted = Number(replies[0]) || 0;
      } else {
        await this.client.del(index);
      }
      await this.client.publish(this.channel, JSON.stringify({ from: this.instanceId, label }));
      return deleted;
    });
    if (!result.ok) {
      this.failed('evict', result.error);
      return 0;
    }
    return result.value;
  }

  onRemoteEvict(listener: (label: string) => void): void {
    this.listeners.push(listener);
  }

  /** Quits both connections, each within the close bound; then drops what did not quit. Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.quit(this.client), this.quit(this.subscriber)]).then(() => undefined);
    return this.closing;
  }

  /** The Redis key of a cache key's value. */
  valueKey(key: string): string {
    return `${this.prefix}:${key}`;
  }

  /** The Redis key of a label's index. */
  indexKey(label: string): string {
    return `${this.prefix}:idx:${createHash('sha256').update(label, 'utf8').digest('hex')}`;
  }

  /** Work that resumes after a bound expired must not touch a closed or offline client. */
  private assertUsable(): void {
    if (this.closing) throw new Error('closed');
    if (!this.client.isReady) throw new Error('offline');
  }

  private async quit(client: RedisClient): Promise<void> {
    if (!client.isOpen) return;
    if (client.isReady) {
      const quitted = await bounded(this.t.closeTimeoutMs, () => client.close());
      if (quitted.ok) return;
    }
    try {
      if (client.isOpen) client.destroy();
    } catch {
      // already closed
    }
    // A close that waits on a hung server must not keep the process alive.
    client.unref();
  }

  private received(message: string): void {
    let parsed: { from?: unknown; label?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (!parsed || typeof parsed.label !== 'string' || parsed.label.length === 0 || parsed.label.length > MAX_LABEL_CHARS) return;
    if (parsed.from === this.instanceId) return;
    for (const listener of this.listeners) {
      try {
        listener(parsed.label);
      } catch {
        // a listener's failure is its own; the others still run
      }
    }
  }

  /** Logs each connection's state changes (and the first error of an outage) once. */
  private watch(name: Connection, client: RedisClient): void {
    const what = name === 'main' ? 'shared cache' : 'shared cache eviction channel';
    client.on('ready', () => {
      if (this.logged[name] === 'up') return;
      this.logged[name] = 'up';
      if (name === 'main') this.opFailureLogged = false;
      this.logger.log(`${what} connected to ${this.target}`);
    });
    const down = (error?: unknown) => {
      if (this.closing || client.isReady || this.logged[name] === 'down') return;
      this.logged[name] = 'down';
      const consequence = name === 'main' ? 'serving from the in-process cache' : 'evictions by other replicas are not received';
      this.logger.warn(`${what} unavailable at ${this.target} (${this.describe(error)}); ${consequence}, reconnecting in the background`);
    };
    client.on('error', down);
    client.on('end', () => down(new Error('connection closed')));
  }

  /** An operation failed while the connection looked up (timeouts, command errors): logged once per outage. */
  private failed(op: string, error: unknown): void {
    if (this.closing || this.opFailureLogged) return;
    this.opFailureLogged = true;
    this.logger.warn(`shared cache ${op} failed at ${this.target} (${this.describe(error)}); the in-process cache serves, further failures are not logged until Redis reconnects`);
  }

  private describe(error: unknown): string {
    const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
    const text = [e?.code, typeof e?.message === 'string' ? e.message : undefined].filter((x) => typeof x === 'string' && x).join(': ') || String(e?.name ?? 'error');
    const scrubbed = this.password ? text.split(this.password).join('***') : text;
    return scrubbed.length > 200 ? `${scrubbed.slice(0, 200)}…` : scrubbed;
  }
}

/** Where Redis is, for logs: scheme, host, port and database, never the credentials. */
export function describeUrl(url: string): { target: string; password?: string } {
  try {
    const u = new URL(url);
    const password = u.password ? decodeURIComponent(u.password) : undefined;
    return { target: `${u.protocol}//${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`, password };
  } catch {
    return { target: '(unparseable Redis URL)' };
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

type Bounded<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `work` for at most `ms`; never rejects. A late result is ignored. */
async function bounded<T>(ms: number, work: (() => Promise<T>) | Promise<T>): Promise<Bounded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const running = typeof work === 'function' ? Promise.resolve().then(work) : work;
  running.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
    timer.unref();
  });
  try {
    return { ok: true, value: await Promise.race([running, timeout]) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
