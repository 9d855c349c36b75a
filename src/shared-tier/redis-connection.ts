import { Logger } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { bounded } from '../async/bounded';
import { EnvReader } from '../config/env-reader';
import { readRedisSettings, RedisSettings } from '../config/redis-settings';
import { openLink } from './open-link';
import type { LinkPath, RedisLink } from './redis-link';
import { classifyRedisError, RefusalCause } from './redis-refusal';

export interface RedisConnectionOptions {
  /** Where Redis is and how to reach it (ECR_AUTH_REDIS_*). */
  readonly settings?: RedisSettings;
  /** A standalone redis:// or rediss:// URL instead of `settings` (tests, tools). */
  readonly url?: string;
  /** Bound of `close` per connection, after which the connection is dropped. Default 1000 ms. */
  readonly closeTimeoutMs?: number;
  /** TCP (and TLS) connect timeout of one attempt. Default 1000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest wait between reconnect attempts (exponential back-off from 100 ms, with jitter). Default 5000 ms. */
  readonly maxReconnectDelayMs?: number;
  /** Where state changes are logged; Nest's Logger under `SharedCache` by default. */
  readonly logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
}

/** The settings of a standalone URL, read by the configuration's own rules. */
export function standaloneSettings(url: string): RedisSettings {
  const r = new EnvReader({ ECR_AUTH_REDIS_URL: url, ECR_AUTH_CACHE_ENCRYPTION_KEY: 'given' });
  const settings = readRedisSettings(r);
  if (!settings) throw new Error(`not a Redis URL: ${r.problems.join('; ')}`);
  return settings;
}

/**
 * The shared tier's link to Redis (see RedisLink: commands, and the eviction channel's
 * subscription) and its state: connecting and reconnecting in the background, logging each
 * state change once and never a password, closing within a bound. Offline commands are
 * refused rather than queued. A Redis that refuses the tier (see classifyRedisError) is one
 * ERROR line per cause, and the tier `degraded` until it reconnects.
 */
export class RedisConnections {
  readonly link: RedisLink;
  readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  private readonly target: string;
  private readonly secrets: string[];
  private readonly closeTimeoutMs: number;
  /** The state last logged per path, so that errors are logged once per state change. */
  private readonly logged: Record<LinkPath, 'up' | 'down' | undefined> = { main: undefined, subscriber: undefined };
  private opFailureLogged = false;
  /** A call failed (an error or a timeout) while connected, and none succeeded since. */
  private failing = false;
  /** The configuration errors said so far (each once), and whether one stands now. */
  private readonly refusalsLogged = new Set<RefusalCause>();
  private refused: RefusalCause | undefined;
  /** Until the first connection attempt ends, `get` may wait (within its bound) for it. */
  private starting = true;
  private endFirstAttempt: () => void = () => undefined;
  readonly firstAttempt: Promise<void>;
  /** Resolves on the subscription path's first 'ready'. */
  private readonly subscriberUp: Promise<void>;
  private markSubscriberUp: () => void = () => undefined;
  private subscribed: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(options: RedisConnectionOptions) {
    this.logger = options.logger ?? new Logger('SharedCache');
    this.closeTimeoutMs = options.closeTimeoutMs ?? 1000;
    const settings = options.settings ?? standaloneSettings(options.url ?? 'redis://127.0.0.1:6379');
    this.target = settings.mode === 'standalone' ? settings.redacted.replace(/^standalone /, '') : settings.redacted;
    this.secrets = [settings.password, settings.sentinelPassword].filter((x): x is string => !!x);
    this.firstAttempt = new Promise<void>((resolve) => (this.endFirstAttempt = resolve)).then(() => {
      this.starting = false;
    });
    this.subscriberUp = new Promise<void>((resolve) => (this.markSubscriberUp = resolve));
    this.link = openLink(
      settings,
      { connectTimeoutMs: options.connectTimeoutMs ?? 1000, maxReconnectDelayMs: options.maxReconnectDelayMs ?? 5000 },
      { ready: (path) => this.ready(path), down: (path, e) => this.down(path, e), error: (e) => this.refusal(e) },
    );
  }

  /** The node-redis object of the command path, for its events (diagnostics and tests). */
  get client(): EventEmitter {
    return this.link.emitters.main;
  }

  /** The node-redis object of the subscription path, for its events. */
  get subscriber(): EventEmitter {
    return this.link.emitters.subscriber;
  }

  /** Subscribes on the second connection; if the first SUBSCRIBE fails, the client subscribes again whenever it reconnects. */
  subscribe(channel: string, onMessage: (message: string) => void): void {
    this.subscribed = this.link.subscribe(channel, onMessage).catch(() => undefined);
  }

  get isStarting(): boolean {
    return this.starting;
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /** Whether commands may be sent: connected and not closing. */
  get isUsable(): boolean {
    return !this.closing && this.link.isReady;
  }

  /**
   * `up` while calls succeed; `degraded` while connected but its calls fail, or while Redis
   * refuses the tier (a configuration error: WRONGPASS, NOPERM, CROSSSLOT…, connected or not);
   * `down` unreachable.
   */
  state(): 'up' | 'degraded' | 'down' {
    if (this.refused !== undefined && !this.closing) return 'degraded';
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
      if (!this.link.isReady) return false;
      await Promise.all([this.subscribed, this.subscriberUp]);
      return this.link.subscriberReady;
    })();
    const result = await bounded(timeoutMs, ready);
    return result.ok && result.value && this.isUsable;
  }

  /** A call failed or timed out while connected, and none succeeded since. */
  get isFailing(): boolean {
    return this.failing;
  }

  /** Work that resumes after a bound expired must not touch a closed or offline client. */
  assertUsable(): void {
    if (this.closing) throw new Error('closed');
    if (!this.link.isReady) throw new Error('offline');
  }

  /** Quits both connections, each within the close bound; then drops what did not quit. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.link.close(this.closeTimeoutMs);
    return this.closing;
  }

  /**
   * An operation failed while the connection looked up (timeouts, command errors): the tier is
   * degraded until a call succeeds; logged once per outage.
   */
  failed(op: string, error: unknown): void {
    if (this.closing) return;
    if (this.link.isReady) this.failing = true;
    if (this.refusal(error) || this.opFailureLogged) return;
    this.opFailureLogged = true;
    this.logger.warn(
      `shared cache ${op} failed at ${this.target} (${this.describe(error)}); the in-process cache serves, further failures are not logged until Redis reconnects`,
    );
  }

  /** A call succeeded: a degraded tier is up again (said once). */
  succeeded(): void {
    // A node of a cluster reached in standalone mode answers the keys of its own slots: the
    // others still fail, so a success does not clear that refusal (the next connection does).
    if (this.refused !== undefined && this.refused !== 'cluster' && this.refused !== 'not-cluster')
      this.refused = undefined;
    if (!this.failing) return;
    this.failing = false;
    this.opFailureLogged = false;
    this.logger.log(`shared cache calls succeed again at ${this.target}`);
  }

  /**
   * A configuration error (see classifyRedisError): one ERROR line per cause naming the fix,
   * and the tier degraded until the next connection. True when `error` was one.
   */
  private refusal(error: unknown): boolean {
    const refusal = classifyRedisError(error, this.link?.mode ?? 'standalone');
    if (!refusal || this.closing) return false;
    this.refused = refusal.cause;
    if (this.refusalsLogged.has(refusal.cause)) return true;
    this.refusalsLogged.add(refusal.cause);
    this.logger.error(
      `shared cache refused by Redis at ${this.target} (${this.describe(error)}): ${refusal.fix}; the in-process cache serves`,
    );
    return true;
  }

  private ready(path: LinkPath): void {
    if (path === 'subscriber') this.markSubscriberUp();
    else this.endFirstAttempt();
    if (this.logged[path] === 'up') return;
    this.logged[path] = 'up';
    if (path === 'main') {
      this.opFailureLogged = false;
      this.failing = false;
      this.refused = undefined;
    }
    this.logger.log(
      `${path === 'main' ? 'shared cache' : 'shared cache eviction channel'} connected to ${this.target}`,
    );
  }

  private down(path: LinkPath, error?: unknown): void {
    if (path === 'main') this.endFirstAttempt();
    const refused = this.refusal(error);
    if (this.closing || this.logged[path] === 'down') return;
    if (path === 'main' ? this.link?.isReady : this.link?.subscriberReady) return;
    this.logged[path] = 'down';
    if (refused) return;
    const what = path === 'main' ? 'shared cache' : 'shared cache eviction channel';
    const consequence =
      path === 'main' ? 'serving from the in-process cache' : 'evictions by other replicas are not received';
    this.logger.warn(
      `${what} unavailable at ${this.target} (${this.describe(error)}); ${consequence}, reconnecting in the background`,
    );
  }

  private describe(error: unknown): string {
    const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
    const text =
      [e?.code, typeof e?.message === 'string' ? e.message : undefined]
        .filter((x) => typeof x === 'string' && x)
        .join(': ') || (typeof e?.name === 'string' ? e.name : 'error');
    const scrubbed = this.secrets.reduce((t, secret) => t.split(secret).join('***'), text);
    return scrubbed.length > 200 ? `${scrubbed.slice(0, 200)}…` : scrubbed;
  }
}
