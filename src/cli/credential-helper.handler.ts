import { parseRegistryHost } from '../registry/registry-host';
import { HelperConfig, HelperConfigError, keyFor, loadHelperConfig, ReadTextFile } from './helper-config';
import { PostFn, redactSecrets, requestRegistryAuth } from './service-client';
import { cacheKeyOf, isFresh, isServableStale, TokenCache } from './token-file-cache';

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

  const outcome = await requestRegistryAuth(
    deps.post,
    {
      url: config.endpoint,
      token: config.token,
      body: JSON.stringify({ ...key, registry: host }),
      timeoutMs: config.timeoutMs,
    },
    deps.now,
  );
  if ('token' in outcome) {
    if (isFresh(outcome.token, deps.now())) await deps.cache.write(cacheKey, outcome.token).catch(() => undefined);
    return found(serverUrl, outcome.token.password);
  }
  // Serve a cached token through a transient outage, but only while it is still valid for
  // more than MIN_TTL: docker-credential-ecr-login hands out expired ones here.
  // https://github.com/awslabs/amazon-ecr-credential-helper/issues/679
  if (outcome.transient && cached && isServableStale(cached, deps.now())) return found(serverUrl, cached.password);
  return fail(redactSecrets(`ecr-auth: ${outcome.message}`, [config.token, ...SECRET_FIELDS.map((f) => key[f])]));
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

function found(serverUrl: string, secret: string): HelperResult {
  return { stdout: `${JSON.stringify({ ServerURL: serverUrl, Username: 'AWS', Secret: secret })}\n`, exitCode: 0 };
}

function fail(message: string): HelperResult {
  return { stdout: `${message}\n`, exitCode: 1 };
}
