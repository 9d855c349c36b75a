import { SingleFlight } from '../async/single-flight';
import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock/clock';
import type { OidcProvider } from '../config/oidc-providers';

export interface JwksStoreOptions {
  /** Bounds one fetch (connect, headers and body). */
  readonly fetchTimeoutMs: number;
  /** At most one refresh per this many ms is started for a token naming an unknown key. */
  readonly cooldownMs: number;
  readonly maxBytes: number;
  /** Reads a `jwksFile`; node:fs by default. */
  readonly readFile: (path: string) => Promise<string>;
  /** Told of each refresh that failed, with a reason that carries no key material. */
  readonly onFailure: (issuer: string, reason: string) => void;
  /** Told when a refresh changed the issuer's keys (so remembered verdicts can be dropped). */
  readonly onChange: (issuer: string) => void;
}

export const JWKS_DEFAULTS: JwksStoreOptions = {
  fetchTimeoutMs: 5000,
  cooldownMs: 30_000,
  maxBytes: 1_048_576,
  readFile: (path) => readFile(path, 'utf8'),
  onFailure: () => undefined,
  onChange: () => undefined,
};

const USABLE_KTY = new Set(['RSA', 'EC', 'OKP']);

/**
 * One issuer's key set: loaded from its `jwksUri` (or `jwksFile`), kept in memory and handed
 * to jose's local key-set lookup. We fetch ourselves rather than use createRemoteJWKSet because
 * its cache goes stale after `cacheMaxAge` and a failed reload then fails every token, and its
 * cooldown reads the wall clock: here a failed refresh keeps the last good keys, and the
 * cooldown (counted from the last attempt, so an outage is not hammered either) reads the
 * injected clock. One refresh is in flight at a time.
 */
export class JwksStore {
  private lookup?: JWTVerifyGetKey;
  private current = '';
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private readonly loads = new SingleFlight<boolean>();
  private readonly closing = new AbortController();

  constructor(
    readonly provider: OidcProvider,
    private readonly clock: Clock,
    private readonly options: JwksStoreOptions = JWKS_DEFAULTS,
  ) {}

  /** Whether a key set was ever loaded. */
  get loaded(): boolean {
    return this.lookup !== undefined;
  }

  /** jose's key lookup over the current keys; throws JWKSNoMatchingKey while none are loaded. */
  readonly getKey: JWTVerifyGetKey = (header, token) => {
    if (!this.lookup) throw new errors.JWKSNoMatchingKey();
    return this.lookup(header, token);
  };

  /** Loads the keys now (start-up, the periodic refresh). Never throws; true when keys were loaded. */
  refresh(): Promise<boolean> {
    return this.loads.run(() => {
      this.lastAttempt = this.clock();
      return this.load();
    });
  }

  /**
   * For a token naming a key we don't have: waits for a refresh already under way, or starts
   * one unless one was attempted within the cooldown. True when fresh keys were loaded.
   */
  refreshForUnknownKey(): Promise<boolean> {
    const running = this.loads.current();
    if (running) return running;
    if (this.clock() - this.lastAttempt < this.options.cooldownMs) return Promise.resolve(false);
    return this.refresh();
  }

  /** Aborts a fetch under way; the store stays usable with its keys. */
  close(): void {
    this.closing.abort();
  }

  private async load(): Promise<boolean> {
    let jwks: JSONWebKeySet;
    try {
      jwks = usableKeys(JSON.parse(await this.read()) as unknown);
    } catch (e) {
      this.options.onFailure(this.provider.issuer, reasonOf(e));
      return false;
    }
    const lookup = createLocalJWKSet(jwks);
    const fingerprint = JSON.stringify(jwks.keys);
    const changed = this.lookup !== undefined && fingerprint !== this.current;
    this.lookup = lookup;
    this.current = fingerprint;
    if (changed) this.options.onChange(this.provider.issuer);
    return true;
  }

  private async read(): Promise<string> {
    const { jwksUri, jwksFile } = this.provider;
    if (jwksFile) return this.options.readFile(jwksFile);
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.fetchTimeoutMs), this.closing.signal]);
    // No redirects: a key set must come from the address configured for it.
    const response = await fetch(jwksUri as string, {
      signal,
      redirect: 'error',
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new JwksError(`the JWKS endpoint answered HTTP ${response.status}`);
    }
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > this.options.maxBytes) {
      await response.body?.cancel();
      throw new JwksError('the key set is too large');
    }
    const text = await response.text();
    if (text.length > this.options.maxBytes) throw new JwksError('the key set is too large');
    return text;
  }
}

class JwksError extends Error {
  override readonly name = 'JwksError';
}

/**
 * The public signing keys of a key set. Symmetric keys, private keys and keys for other uses
 * are dropped (poisoning: they never become verification keys); a set left with no key is
 * refused, so a broken or emptied answer never replaces the last good keys.
 */
export function usableKeys(json: unknown): JSONWebKeySet {
  const keys = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new JwksError('the answer is not a JSON Web Key Set');
  const usable = keys.filter(
    (k): k is JWK =>
      typeof k === 'object' &&
      k !== null &&
      USABLE_KTY.has((k as JWK).kty as string) &&
      (k as JWK).d === undefined &&
      ((k as JWK).use === undefined || (k as JWK).use === 'sig'),
  );
  if (usable.length === 0) throw new JwksError('the key set holds no public signing key');
  return { keys: usable };
}

function reasonOf(e: unknown): string {
  if (e instanceof JwksError) return e.message;
  // By name, not instanceof: fetch's errors come from another realm under test runners.
  const { name, syscall } = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; syscall?: unknown };
  if (typeof syscall === 'string') return 'the key file cannot be read';
  if (name === 'SyntaxError') return 'the answer is not JSON';
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time';
  if (name === 'TypeError') return 'the JWKS endpoint cannot be reached';
  return typeof name === 'string' ? name : 'unknown failure';
}
