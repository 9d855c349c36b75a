import { Logger } from '@nestjs/common';
import { createClient } from 'redis';
import { backoffDelay } from '../async/backoff';
import { bounded } from '../async/bounded';
import { REDIS_SCRIPTS } from './redis-scripts';

export interface RedisConnectionOptions {
  /** redis:// or rediss:// URL (user, password and database number may be in it). */
  readonly url: string;
  /** Bound of `close` per connection, after which the connection is dropped. Default 1000 ms. */
  readonly closeTimeoutMs?: number;
  /** TCP (and TLS) connect timeout of one attempt. Default 1000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest wait between reconnect attempts (exponential back-off from 100 ms, with jitter). Default 5000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Where state changes are logged; Nest's Logger under `SharedCache` by default. */
  readonly logger?: Pick<Logger, 'log' | 'warn'>;
}

/** A node-redis client with the tier's scripts (see REDIS_SCRIPTS) as commands. */
export type RedisClient = ReturnType<typeof connect>;
type Connection = 'main' | 'subscriber';

/**
 * The shared tier's two connections to Redis (commands, and the eviction channel's
 * subscription) and their state: connecting and reconnecting in the background, logging each
 * state change once and never the URL's password, closing within a bound. Offline commands are
 * refused rather than queued (`disableOfflineQueue`).
 */
export class RedisConnections {
  readonly client: RedisClient;
  readonly subscriber: RedisClient;
  readonly logger: Pick<Logger, 'log' | 'warn'>;
  private readonly target: string;
  private readonly password: string | undefined;
  private readonly closeTimeoutMs: number;
  /** The state last logged per connection, so that errors are logged once per state change. */
  private readonly logged: Record<Connection, 'up' | 'down' | undefined> = { main: undefined, subscriber: undefined };
  private opFailureLogged = false;
  /** A call failed (an error or a timeout) while connected, and none succeeded since. */
  private failing = false;
  /** Until the first connection attempt ends, `get` may wait (within its bound) for it. */
  private starting = true;
  readonly firstAttempt: Promise<void>;
  /** Resolves on the subscriber's first 'ready'. */
  private readonly subscriberUp: Promise<void>;
  private subscribed: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(options: RedisConnectionOptions) {
    this.logger = options.logger ?? new Logger('SharedCache');
    this.closeTimeoutMs = options.closeTimeoutMs ?? 1000;
    ({ target: this.target, password: this.password } = describeUrl(options.url));
    const maxDelay = options.maxReconnectDelayMs ?? 5000;

    this.client = connect(options.url, options.connectTimeoutMs ?? 1000, maxDelay);
    // Subscriptions are not on the request path: they may wait for the connection.
    this.subscriber = this.client.duplicate({ disableOfflineQueue: false });

    this.firstAttempt = new Promise<void>((resolve) => {
      this.client.once('ready', resolve);
      this.client.once('error', resolve);
    }).then(() => {
      this.starting = false;
    });
    this.subscriberUp = new Promise<void>((resolve) => this.subscriber.once('ready', resolve));
    this.watch('main', this.client);
    this.watch('subscriber', this.subscriber);
    this.client.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
  }

  /** Subscribes on the second connection; if the first SUBSCRIBE fails, the client subscribes again whenever it reconnects. */
  subscribe(channel: string, onMessage: (message: string) => void): void {
    this.subscribed = this.subscriber.subscribe(channel, onMessage).catch(() => undefined);
  }

  get isStarting(): boolean {
    return this.starting;
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /** Whether commands may be sent: connected and not closing. */
  get isUsable(): boolean {
    return !this.closing && this.client.isReady;
  }

  /** `up` while calls succeed; `degraded` while connected but its calls fail; `down` unreachable. */
  state(): 'up' | 'degraded' | 'down' {
    if (!this.isUsable) return 'down';
    return this.failing ? 'degraded' : 'up';
  }

  /**
   * See RedisTier.whenReady. Never rejects. Waits on events: the first attempt's end, then the
   * subscriber's first 'ready' and its SUBSCRIBE (which may be answered just before 'ready').
   */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const ready = (async () => {
      await this.firstAttempt;
      if (!this.client.isReady) return false;
      await Promise.all([this.subscribed, this.subscriberUp]);
      return this.subscriber.isReady;
    })();
    const result = await bounded(timeoutMs, ready);
    return result.ok && result.value && this.isUsable;
  }

  /** Work that resumes after a bound expired must not touch a closed or offline client. */
  assertUsable(): void {
    if (this.closing) throw new Error('closed');
    if (!this.client.isReady) throw new Error('offline');
  }

  /** Quits both connections, each within the close bound; then drops what did not quit. Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.quit(this.client), this.quit(this.subscriber)]).then(() => undefined);
    return this.closing;
  }

  /**
   * An operation failed while the connection looked up (timeouts, command errors): the tier is
   * degraded until a call succeeds; logged once per outage.
   */
  failed(op: string, error: unknown): void {
    if (this.closing) return;
    if (this.client.isReady) this.failing = true;
    if (this.opFailureLogged) return;
    this.opFailureLogged = true;
    this.logger.warn(
      `shared cache ${op} failed at ${this.target} (${this.describe(error)}); the in-process cache serves, further failures are not logged until Redis reconnects`,
    );
  }

  /** A call succeeded: a degraded tier is up again (said once). */
  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.opFailureLogged = false;
    this.logger.log(`shared cache calls succeed again at ${this.target}`);
  }

  private async quit(client: RedisClient): Promise<void> {
    if (!client.isOpen) return;
    if (client.isReady) {
      const quitted = await bounded(this.closeTimeoutMs, () => client.close());
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

  /** Logs each connection's state changes (and the first error of an outage) once. */
  private watch(name: Connection, client: RedisClient): void {
    const what = name === 'main' ? 'shared cache' : 'shared cache eviction channel';
    client.on('ready', () => {
      if (this.logged[name] === 'up') return;
      this.logged[name] = 'up';
      if (name === 'main') {
        this.opFailureLogged = false;
        this.failing = false;
      }
      this.logger.log(`${what} connected to ${this.target}`);
    });
    const down = (error?: unknown) => {
      if (this.closing || client.isReady || this.logged[name] === 'down') return;
      this.logged[name] = 'down';
      const consequence =
        name === 'main' ? 'serving from the in-process cache' : 'evictions by other replicas are not received';
      this.logger.warn(
        `${what} unavailable at ${this.target} (${this.describe(error)}); ${consequence}, reconnecting in the background`,
      );
    };
    client.on('error', down);
    client.on('end', () => down(new Error('connection closed')));
  }

  private describe(error: unknown): string {
    const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
    const text =
      [e?.code, typeof e?.message === 'string' ? e.message : undefined]
        .filter((x) => typeof x === 'string' && x)
        .join(': ') || (typeof e?.name === 'string' ? e.name : 'error');
    const scrubbed = this.password ? text.split(this.password).join('***') : text;
    return scrubbed.length > 200 ? `${scrubbed.slice(0, 200)}…` : scrubbed;
  }
}

/**
 * The command connection: offline commands are refused rather than queued, one connect
 * attempt is bounded, reconnects back off exponentially from 100 ms (with jitter) up to
 * `maxDelayMs`. The scripts are registered as commands (`client.indexAdd(…)`).
 */
function connect(url: string, connectTimeoutMs: number, maxDelayMs: number) {
  return createClient({
    url,
    disableOfflineQueue: true,
    maintNotifications: 'disabled',
    scripts: REDIS_SCRIPTS,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries: number) =>
        backoffDelay(retries + 1, { firstMs: 100, maxMs: maxDelayMs, jitter: 'spread' }),
    },
  });
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
