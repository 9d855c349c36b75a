import { parseRegistryHost } from '../registry/registry-host';
import { HelperConfig, HelperConfigError, keyFor, loadHelperConfig, ReadTextFile, RegistryKey } from './helper-config';
import type { PostFn } from './service-client';
import { CachedToken, cacheKeyOf, isFresh, isServableStale, TokenCache } from './token-file-cache';

/** The helper's collaborators, injected so that `handle` stays pure. */
export interface HelperDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string | undefined;
  readonly readTextFile: ReadTextFile;
  readonly cache: TokenCache;
  readonly post: PostFn;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly version: () => string;
}

/** What the entry writes to stdout (the only output), and the exit code. */
export interface HelperResult {
  readonly stdout: string;
  readonly exitCode: 0 | 1;
}

/** The protocol's sentence for "no credentials here": docker then goes on anonymously. */
export const NOT_FOUND = 'credentials not found in native keychain';
export const USAGE = 'Usage: docker-credential-ecr-auth <get|list|store|erase|version>';
/** Verbs whose input comes on stdin. */
export const STDIN_VERBS: ReadonlySet<string> = new Set(['get', 'store', 'erase']);

const MAX_MESSAGE = 600;
/** Registry-key fields that never appear in output (the API token neither). */
const SECRET_FIELDS = ['externalId', 'secretAccessKey', 'sessionToken', 'password'] as const;

/**
 * The docker credential-helper protocol: `verb` is argv[2], `input` is stdin (read for
 * {@link STDIN_VERBS} only). Never throws for expected failures; every answer is protocol output.
 */
export async function handle(verb: string | undefined, input: string, deps: HelperDeps): Promise<HelperResult> {
  switch (verb) {
    case 'get':
      return get(input.trim(), deps);
    case 'list':
      return list(deps);
    case 'store':
    case 'erase':
      return fail('not implemented');
    case 'version':
      return { stdout: `docker-credential-ecr-auth ${deps.version()}\n`, exitCode: 0 };
    default:
      return fail(USAGE);
  }
}

async function get(serverUrl: string, deps: HelperDeps): Promise<HelperResult> {
  if (serverUrl === '') return fail('ecr-auth: no server URL on stdin');
  let host: string;
  try {
    host = parseRegistryHost(serverUrl).host;
  } catch {
    return fail(NOT_FOUND);
  }
  const loaded = await load(deps);
  if ('failure' in loaded) return loaded.failure;
  const config = loaded.config;
  const key = keyFor(config, host);
  if (!key) return fail(NOT_FOUND);
  if (!config.endpoint) {
    return fail(
      `ecr-auth: no service URL for ${host}: set ECR_AUTH_URL or "url" in ${config.file ?? 'the config file'}`,
    );
  }
  const cacheKey = cacheKeyOf(config.endpoint.href, host, key, config.token);
  const cached = await deps.cache.read(cacheKey).catch(() => undefined);
  if (cached && isFresh(cached, deps.now())) return found(serverUrl, cached.password);

  const outcome = await askService(config, host, key, deps);
  if ('token' in outcome) {
    if (isFresh(outcome.token, deps.now())) await deps.cache.write(cacheKey, outcome.token).catch(() => undefined);
    return found(serverUrl, outcome.token.password);
  }
  // Serve a cached token through a transient outage, but only while it is still valid for
  // more than MIN_TTL: docker-credential-ecr-login hands out expired ones here.
  // https://github.com/awslabs/amazon-ecr-credential-helper/issues/679
  if (outcome.transient && cached && isServableStale(cached, deps.now())) return found(serverUrl, cached.password);
  return fail(redact(`ecr-auth: ${outcome.message}`, [config.token, ...SECRET_FIELDS.map((f) => key[f])]));
}

async function list(deps: HelperDeps): Promise<HelperResult> {
  const loaded = await load(deps);
  if ('failure' in loaded) return loaded.failure;
  // Patterns and the default key cover hosts that cannot be enumerated: only exact hosts are listed.
  const out: Record<string, string> = {};
  for (const host of loaded.config.exact.keys()) out[host] = 'AWS';
  return { stdout: `${JSON.stringify(out)}\n`, exitCode: 0 };
}

async function load(deps: HelperDeps): Promise<{ config: HelperConfig } | { failure: HelperResult }> {
  try {
    return { config: await loadHelperConfig(deps.env, deps.home, deps.readTextFile) };
  } catch (e) {
    if (e instanceof HelperConfigError) return { failure: fail(`ecr-auth: ${e.message}`) };
    throw e;
  }
}

type Outcome = { token: CachedToken } | { transient: boolean; message: string };

async function askService(config: HelperConfig, host: string, key: RegistryKey, deps: HelperDeps): Promise<Outcome> {
  let status: number;
  let text: string;
  try {
    ({ status, text } = await deps.post({
      url: config.endpoint!,
      token: config.token,
      body: JSON.stringify({ ...key, registry: host }),
      timeoutMs: config.timeoutMs,
    }));
  } catch (e) {
    const reason = e instanceof Error && e.name === 'ServiceUnreachableError' ? e.message : 'cannot reach the service';
    return { transient: true, message: reason };
  }
  return interpretAnswer(status, text, deps.now());
}

/**
 * Turns the service's answer into a token or a failure. A failure is transient (a cached token
 * may stand in) on 429 and 5xx; a 4xx is a refusal of this key and fails the build.
 */
export function interpretAnswer(status: number, text: string, nowMs: number): Outcome {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  if (status === 200) {
    const password = json?.password;
    const expiresAtMs = typeof json?.expiresAt === 'string' ? Date.parse(json.expiresAt) : NaN;
    if (typeof password === 'string' && password !== '' && Number.isFinite(expiresAtMs) && expiresAtMs > nowMs) {
      return { token: { password, expiresAtMs } };
    }
    return { transient: false, message: 'the service answered 200 without a usable password and expiresAt' };
  }
  const transient = status === 429 || status >= 500;
  const code = json?.code;
  const message = json?.message;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code) && typeof message === 'string') {
    const requestId =
      typeof json?.requestId === 'string' && /^[\w.:-]{1,128}$/.test(json.requestId)
        ? ` (request id ${json.requestId})`
        : '';
    return { transient, message: `${code}: ${oneLine(message)}${requestId}` };
  }
  return { transient, message: `the service answered HTTP ${status} without an error code` };
}

function found(serverUrl: string, secret: string): HelperResult {
  return { stdout: `${JSON.stringify({ ServerURL: serverUrl, Username: 'AWS', Secret: secret })}\n`, exitCode: 0 };
}

function fail(message: string): HelperResult {
  return { stdout: `${message}\n`, exitCode: 1 };
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/** Defence in depth: the service never echoes a secret, but should it, it stops here. */
function redact(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 2) out = out.split(s).join('[redacted]');
  return out;
}
