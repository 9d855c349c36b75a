import { EnvReader } from '../config/env-reader';
import { isLoopback } from '../config/loopback';
import { parseRegistryHost } from '../registry/registry-host';
import { checkKey, RegistryKey } from './config-key';
import { bestPatternFor, HostPattern, parseHostPattern } from './host-pattern';

export type { RegistryKey } from './config-key';

/** The helper's configuration: the config file and the environment, read once per run. */
export interface HelperConfig {
  /** The config file that was (or would have been) read, for messages. */
  readonly file: string | undefined;
  /** `POST /registry-auth` of the service; absent when no URL is configured. */
  readonly endpoint?: URL;
  readonly token?: string;
  readonly timeoutMs: number;
  readonly exact: ReadonlyMap<string, RegistryKey>;
  readonly patterns: readonly (HostPattern & { readonly key: RegistryKey })[];
  /** `ECR_AUTH_ROLE_ARN` / `ECR_AUTH_EXTERNAL_ID`, for hosts the file names no key for. */
  readonly defaultKey?: RegistryKey;
}

/** A configuration problem; the message names the file or variable, never a value of a secret. */
export class HelperConfigError extends Error {
  override readonly name = 'HelperConfigError';
}

/** Reads a text file; `undefined` when it does not exist, throws (with `code`) otherwise. */
export type ReadTextFile = (path: string) => Promise<string | undefined>;

export const DEFAULT_TIMEOUT_MS = 10_000;
const TOP_LEVEL = new Set(['url', 'token', 'registries']);

/** Where the config file is: `ECR_AUTH_CONFIG`, else `~/.ecr-auth/config.json`. */
export function configFileOf(
  env: Readonly<Record<string, string | undefined>>,
  home: string | undefined,
): string | undefined {
  const named = new EnvReader(env).str('ECR_AUTH_CONFIG');
  if (named) return named;
  return home ? `${home.replace(/\/+$/, '')}/.ecr-auth/config.json` : undefined;
}

/**
 * Loads the config file and the environment; every problem is collected and reported at once.
 * A missing file at the default path is an empty configuration; a missing file named by
 * `ECR_AUTH_CONFIG` is a problem. Environment variables win over the file's `url` and `token`
 * (`ECR_AUTH_TOKEN`, or `ECR_AUTH_TOKEN_FILE`: a file holding the token, read at every run so
 * that a mounted secret can rotate).
 * @throws HelperConfigError naming the file or variables at fault.
 */
export async function loadHelperConfig(
  env: Readonly<Record<string, string | undefined>>,
  home: string | undefined,
  readTextFile: ReadTextFile,
): Promise<HelperConfig> {
  const r = new EnvReader(env);
  const file = configFileOf(env, home);
  const problems: string[] = [];
  const named = r.str('ECR_AUTH_CONFIG') !== undefined;
  const fromFile = file ? await readConfigFile(file, named, readTextFile, problems) : undefined;
  const exact = new Map<string, RegistryKey>();
  const patterns: (HostPattern & { key: RegistryKey })[] = [];
  for (const [name, value] of fromFile?.registries ?? []) {
    const key = checkKey(value, `registries["${name.slice(0, 100)}"]`, problems);
    if (name.includes('*')) {
      const pattern = parseHostPattern(name);
      if (typeof pattern === 'string') problems.push(`registries["${name.slice(0, 100)}"]: ${pattern}`);
      else if (patterns.some((p) => p.source === pattern.source))
        problems.push(`registries["${name.slice(0, 100)}"] is listed twice`);
      else if (key) patterns.push({ ...pattern, key });
      continue;
    }
    let host: string;
    try {
      host = parseRegistryHost(name).host;
    } catch {
      problems.push(`registries["${name.slice(0, 100)}"] is not an Amazon ECR registry host (or a pattern with "*")`);
      continue;
    }
    if (exact.has(host)) problems.push(`registries["${name.slice(0, 100)}"] is listed twice`);
    else if (key) exact.set(host, key);
  }
  const endpoint = serviceEndpoint(r, fromFile?.url, problems);
  const timeoutMs = r.int('ECR_AUTH_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1, 300_000);
  const defaultKey = defaultKeyOf(r, problems);
  const tokenFromEnv = await apiTokenOf(r, readTextFile, problems);
  problems.push(...r.problems);
  if (problems.length > 0) {
    throw new HelperConfigError(
      `configuration problem${problems.length > 1 ? 's' : ''} (${file ?? 'environment'}): ${problems.join('; ')}`,
    );
  }
  const token = tokenFromEnv || fromFile?.token;
  return { file, endpoint, token: token || undefined, timeoutMs, exact, patterns, defaultKey };
}

/** The key for a normalised host: an exact entry, else the most specific pattern, else the default. */
export function keyFor(config: HelperConfig, host: string): RegistryKey | undefined {
  return config.exact.get(host) ?? bestPatternFor(config.patterns, host)?.key ?? config.defaultKey;
}

interface FileContent {
  url?: string;
  token?: string;
  registries: [string, unknown][];
}

async function readConfigFile(
  file: string,
  named: boolean,
  readTextFile: ReadTextFile,
  problems: string[],
): Promise<FileContent | undefined> {
  let text: string | undefined;
  try {
    text = await readTextFile(file);
  } catch (e) {
    problems.push(`cannot read ${file} (${(e as { code?: string }).code ?? 'error'})`);
    return undefined;
  }
  if (text === undefined) {
    if (named) problems.push(`${file} (ECR_AUTH_CONFIG) does not exist`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text, which may hold secrets: give the position only.
    const at = /position (\d+)/.exec(String((e as Error).message));
    problems.push(`${file} is not valid JSON${at ? ` (near ${lineAndColumn(text, Number(at[1]))})` : ''}`);
    return undefined;
  }
  if (!isObject(json)) {
    problems.push(`${file} must hold a JSON object {"url", "token", "registries"}`);
    return undefined;
  }
  for (const k of Object.keys(json))
    if (!TOP_LEVEL.has(k))
      problems.push(`${file}: unknown field "${k.slice(0, 40)}" (expected url, token, registries)`);
  for (const k of ['url', 'token'] as const) {
    if (json[k] !== undefined && typeof json[k] !== 'string') problems.push(`${file}: "${k}" must be a string`);
  }
  if (json.registries !== undefined && !isObject(json.registries))
    problems.push(`${file}: "registries" must be an object of host → registry key`);
  return {
    url: typeof json.url === 'string' ? json.url : undefined,
    token: typeof json.token === 'string' ? json.token : undefined,
    registries: isObject(json.registries) ? Object.entries(json.registries) : [],
  };
}

function serviceEndpoint(r: EnvReader, fileUrl: string | undefined, problems: string[]): URL | undefined {
  const fromEnv = r.str('ECR_AUTH_URL');
  const raw = fromEnv ?? fileUrl;
  const name = fromEnv ? 'ECR_AUTH_URL' : '"url"';
  const insecure = r.bool('ECR_AUTH_ALLOW_INSECURE', false);
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL (e.g. https://ecr-auth.internal)`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.push(`${name} must be an https:// URL`);
  else if (url.username || url.password)
    problems.push(`${name} must not carry user information; put the API token in ECR_AUTH_TOKEN`);
  else if (url.search || url.hash) problems.push(`${name} must not carry a query or fragment`);
  else if (url.protocol === 'http:' && !isLoopback(url.hostname) && !insecure) {
    problems.push(
      `${name} uses plain http:// to ${url.hostname}, which would send the API token and registry keys in clear text: use https://, or set ECR_AUTH_ALLOW_INSECURE=true`,
    );
  } else {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/registry-auth`;
    return url;
  }
  return undefined;
}

function defaultKeyOf(r: EnvReader, problems: string[]): RegistryKey | undefined {
  const roleArn = r.str('ECR_AUTH_ROLE_ARN');
  const externalId = r.str('ECR_AUTH_EXTERNAL_ID');
  if (!roleArn) {
    if (externalId) problems.push('ECR_AUTH_EXTERNAL_ID is set without ECR_AUTH_ROLE_ARN');
    return undefined;
  }
  return Object.freeze(externalId ? { roleArn, externalId } : { roleArn });
}

/** `ECR_AUTH_TOKEN`, else the content of `ECR_AUTH_TOKEN_FILE` (trimmed); never both. */
async function apiTokenOf(r: EnvReader, readTextFile: ReadTextFile, problems: string[]): Promise<string | undefined> {
  const path = r.str('ECR_AUTH_TOKEN_FILE');
  if (!path) return r.str('ECR_AUTH_TOKEN');
  if (r.str('ECR_AUTH_TOKEN')) {
    problems.push('ECR_AUTH_TOKEN and ECR_AUTH_TOKEN_FILE are both set: set one');
    return undefined;
  }
  let text: string | undefined;
  try {
    text = await readTextFile(path);
  } catch (e) {
    problems.push(`cannot read ${path} (ECR_AUTH_TOKEN_FILE) (${(e as { code?: string }).code ?? 'error'})`);
    return undefined;
  }
  if (text === undefined) {
    problems.push(`${path} (ECR_AUTH_TOKEN_FILE) does not exist`);
    return undefined;
  }
  const token = text.trim();
  if (token === '') problems.push(`${path} (ECR_AUTH_TOKEN_FILE) is empty`);
  else if (!/^[\x21-\x7e]+$/.test(token))
    problems.push(`${path} (ECR_AUTH_TOKEN_FILE) must hold the token alone, on one line`);
  else return token;
  return undefined;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
