import type { EnvReader } from './env-reader';
import { formatNode, parseHostPort, parseRedisUrl, RedisNode, RedisUrlParts } from './redis-addresses';

export type { RedisNode } from './redis-addresses';

/** How the service reaches Redis (ECR_AUTH_REDIS_MODE). */
export type RedisMode = 'standalone' | 'cluster' | 'sentinel';

/** The shared tier's Redis, validated at start: where it is, how to talk to it, as whom. */
export interface RedisSettings {
  readonly mode: RedisMode;
  /** standalone: the one node; cluster: the seed nodes; sentinel: the Sentinels. */
  readonly nodes: readonly RedisNode[];
  /** ACL user of the data nodes. */
  readonly username?: string;
  /** Password of the data nodes, from the URL. */
  readonly password?: string;
  /** File holding the data nodes' password, read at every connect (ECR_AUTH_REDIS_PASSWORD_FILE). */
  readonly passwordFile?: string;
  /** Database number (standalone only: cluster mode has no SELECT, Sentinel mode uses the master's default). */
  readonly database?: number;
  /** `rediss://`: TLS to every node (and every Sentinel), certificate and host name verified. */
  readonly tls: boolean;
  /** PEM file of the CAs that verify the nodes' certificates instead of the system's. */
  readonly tlsCaFile?: string;
  /** The master's name at the Sentinels (sentinel mode). */
  readonly sentinelMaster?: string;
  /** Password of the Sentinels themselves (sentinel mode). */
  readonly sentinelPassword?: string;
  /** For logs: mode, scheme, hosts and ports (and the master's name), never credentials. */
  readonly redacted: string;
}

const MODES = ['standalone', 'cluster', 'sentinel'] as const;
const URL_VAR = 'ECR_AUTH_REDIS_URL';
const SENTINELS = 'ECR_AUTH_REDIS_SENTINELS';
const MASTER = 'ECR_AUTH_REDIS_SENTINEL_MASTER';
const SENTINEL_PASSWORD = 'ECR_AUTH_REDIS_SENTINEL_PASSWORD';
const CA_FILE = 'ECR_AUTH_REDIS_TLS_CA_FILE';
const PASSWORD_FILE = 'ECR_AUTH_REDIS_PASSWORD_FILE';
const ENCRYPTION_KEY = 'ECR_AUTH_CACHE_ENCRYPTION_KEY';
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** The password a password file holds: its content without one trailing newline. */
export function passwordFromFile(content: string): string {
  return content.replace(/\r?\n$/, '');
}

/**
 * Reads the shared tier's Redis settings (ECR_AUTH_REDIS_*), adding one problem per bad or
 * contradictory variable to `r`; undefined without Redis. The password file and the CA file are
 * read once here, to refuse at start a file the service could not use.
 */
export function readRedisSettings(r: EnvReader, readFile?: (path: string) => string): RedisSettings | undefined {
  const mode = r.oneOf('ECR_AUTH_REDIS_MODE', 'standalone', MODES);
  const urlText = r.str(URL_VAR);
  const sentinelsText = r.str(SENTINELS);
  const master = r.str(MASTER);
  const sentinelPassword = r.str(SENTINEL_PASSWORD);
  const caFile = r.str(CA_FILE);
  const passwordFile = r.str(PASSWORD_FILE);
  const on = mode !== 'standalone' || urlText !== undefined;

  if (mode !== 'sentinel') {
    const sentinelOnly: Array<[string, string | undefined]> = [
      [SENTINELS, sentinelsText],
      [MASTER, master],
      [SENTINEL_PASSWORD, sentinelPassword],
    ];
    for (const [name, value] of sentinelOnly)
      if (value !== undefined) r.problem(name, 'is only used with ECR_AUTH_REDIS_MODE=sentinel');
  }

  let data: RedisUrlParts | undefined;
  let nodes: RedisNode[] = [];
  if (mode === 'standalone' && urlText !== undefined) {
    data = oneUrl(r, urlText, 'names one node; several seed nodes need ECR_AUTH_REDIS_MODE=cluster');
    if (data) nodes = [data.node];
  } else if (mode === 'cluster') {
    if (urlText === undefined) r.problem(URL_VAR, 'is required with ECR_AUTH_REDIS_MODE=cluster: the seed nodes');
    else ({ data, nodes } = readSeeds(r, urlText));
  } else if (mode === 'sentinel') {
    if (urlText !== undefined)
      data = oneUrl(r, urlText, 'names one URL in sentinel mode: the Sentinels are in ' + SENTINELS);
    if (data?.database) {
      r.problem(
        URL_VAR,
        'gives a database number, which sentinel mode does not use (only the user, password and scheme)',
      );
    }
    if (sentinelsText === undefined) r.problem(SENTINELS, 'is required with ECR_AUTH_REDIS_MODE=sentinel: host:port,…');
    else nodes = readSentinels(r, sentinelsText);
    if (master === undefined) r.problem(MASTER, "is required with ECR_AUTH_REDIS_MODE=sentinel: the master's name");
    else if (!/^\S{1,256}$/.test(master)) r.problem(MASTER, 'must be 1-256 characters without spaces');
  }
  const tls = data?.tls ?? false;

  if (caFile !== undefined) {
    if (!on) r.problem(CA_FILE, `is only used with a rediss:// ${URL_VAR}`);
    else if (!tls) r.problem(CA_FILE, `is only used with rediss:// (${URL_VAR} does not ask for TLS)`);
    else
      readStartFile(
        r,
        CA_FILE,
        caFile,
        readFile,
        (text) => text.includes(PEM_CERTIFICATE),
        `must be PEM (${PEM_CERTIFICATE})`,
      );
  }
  if (passwordFile !== undefined) {
    if (!on) r.problem(PASSWORD_FILE, `is only used with Redis (${URL_VAR} or ${SENTINELS})`);
    else if (data?.password !== undefined)
      r.problem(PASSWORD_FILE, `is set and ${URL_VAR} carries a password: which one wins is ambiguous, keep one`);
    else
      readStartFile(r, PASSWORD_FILE, passwordFile, readFile, (t) => passwordFromFile(t) !== '', 'names an empty file');
  }
  if (on && !r.str(ENCRYPTION_KEY))
    r.problem(ENCRYPTION_KEY, 'is required with Redis (32 random bytes, base64: openssl rand -base64 32)');

  if (!on || nodes.length === 0) return undefined;
  const database = mode === 'standalone' ? data?.database : undefined;
  return Object.freeze({
    mode,
    nodes: Object.freeze(nodes.map((n) => Object.freeze({ ...n }))),
    ...(data?.username !== undefined ? { username: data.username } : {}),
    ...(data?.password !== undefined ? { password: data.password } : {}),
    ...(passwordFile !== undefined ? { passwordFile } : {}),
    ...(database !== undefined ? { database } : {}),
    tls,
    ...(tls && caFile !== undefined ? { tlsCaFile: caFile } : {}),
    ...(mode === 'sentinel' ? { sentinelMaster: master } : {}),
    ...(mode === 'sentinel' && sentinelPassword !== undefined ? { sentinelPassword } : {}),
    redacted: redact(mode, tls, nodes, database, mode === 'sentinel' ? master : undefined),
  });
}

function oneUrl(r: EnvReader, text: string, several: string): RedisUrlParts | undefined {
  if (text.includes(',')) {
    r.problem(URL_VAR, several);
    return undefined;
  }
  const parsed = parseRedisUrl(text);
  if ('problem' in parsed) r.problem(URL_VAR, parsed.problem);
  return 'ok' in parsed ? parsed.ok : undefined;
}

/**
 * Cluster seeds: the first a full URL; each further one `host:port`, inheriting the first's
 * scheme and credentials, or a URL of the same scheme and credentials.
 */
function readSeeds(r: EnvReader, text: string): { data?: RedisUrlParts; nodes: RedisNode[] } {
  const [firstText, ...rest] = text.split(',').map((s) => s.trim());
  const first = parseRedisUrl(firstText);
  if ('problem' in first) {
    r.problem(URL_VAR, `seed 1 ${first.problem}`);
    return { nodes: [] };
  }
  const data = first.ok;
  const nodes = [data.node];
  const noSelect = 'gives a database number: Redis Cluster has only database 0 (no SELECT); leave it out';
  if (data.database) r.problem(URL_VAR, `seed 1 ${noSelect}`);
  rest.forEach((seed, i) => {
    const n = i + 2;
    if (!/^rediss?:\/\//i.test(seed)) {
      const hp = parseHostPort(seed, 6379);
      if ('problem' in hp) r.problem(URL_VAR, `seed ${n} ${hp.problem}, or a URL`);
      else nodes.push(hp.ok);
      return;
    }
    const parsed = parseRedisUrl(seed);
    if ('problem' in parsed) {
      r.problem(URL_VAR, `seed ${n} ${parsed.problem}`);
      return;
    }
    const u = parsed.ok;
    if (u.tls !== data.tls) r.problem(URL_VAR, `seed ${n} must use the first seed's scheme (one TLS setting for all)`);
    else if (u.username !== data.username || u.password !== data.password)
      r.problem(URL_VAR, `seed ${n} carries other credentials than seed 1: write it as host:port to share seed 1's`);
    else if (u.database) r.problem(URL_VAR, `seed ${n} ${noSelect}`);
    else nodes.push(u.node);
  });
  return { data, nodes };
}

function readSentinels(r: EnvReader, text: string): RedisNode[] {
  const nodes: RedisNode[] = [];
  text.split(',').forEach((item, i) => {
    const hp = parseHostPort(item.trim(), 26379);
    if ('problem' in hp) r.problem(SENTINELS, `entry ${i + 1} ${hp.problem}`);
    else nodes.push(hp.ok);
  });
  return nodes;
}

/** Reads a file the service needs at start, refusing one it cannot read or that fails `check`. */
function readStartFile(
  r: EnvReader,
  name: string,
  path: string,
  readFile: ((path: string) => string) | undefined,
  check: (content: string) => boolean,
  otherwise: string,
): void {
  let content: string;
  try {
    if (!readFile) throw new Error('no file reader');
    content = readFile(path);
  } catch {
    r.problem(name, 'names a file that cannot be read');
    return;
  }
  if (!check(content)) r.problem(name, otherwise);
}

function redact(
  mode: RedisMode,
  tls: boolean,
  nodes: readonly RedisNode[],
  database?: number,
  master?: string,
): string {
  const db = database ? `/${database}` : '';
  const name = master !== undefined ? ` master ${master}` : '';
  return `${mode} ${tls ? 'rediss' : 'redis'}://${nodes.map(formatNode).join(',')}${db}${name}`;
}
