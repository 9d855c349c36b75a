/** One Redis node or Sentinel: a host name or IP address (IPv6 without brackets) and a port. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** What one `redis://` or `rediss://` URL says: where, how, as whom. */
export interface RedisUrlParts {
  readonly tls: boolean;
  readonly node: RedisNode;
  readonly username?: string;
  readonly password?: string;
  readonly database?: number;
}

/** A result or the reason it could not be read; the reason never repeats the text (it may hold a password). */
export type Parsed<T> = { readonly ok: T } | { readonly problem: string };

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^\[([0-9A-Fa-f:.]+)\]$/;
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/**
 * Reads one `redis[s]://[user[:password]@]host[:port][/db]` URL. User and password are
 * percent-decoded (a `@` or `:` in a password is written `%40`, `%3A`); the port defaults to 6379.
 */
export function parseRedisUrl(text: string): Parsed<RedisUrlParts> {
  const shape = 'must be a redis:// or rediss:// URL: redis[s]://[user[:password]@]host[:port][/db]';
  if (!/^rediss?:\/\/\S+$/i.test(text)) return { problem: shape };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: shape };
  }
  if (url.search || url.hash) return { problem: 'must not carry a query or a fragment' };
  const host = hostOf(url.hostname);
  if (!host) return { problem: 'must name a host: a DNS name or an IP address' };
  const port = url.port === '' ? 6379 : Number(url.port);
  if (port < 1) return { problem: 'must name a port from 1 to 65535' };
  let database: number | undefined;
  if (url.pathname !== '' && url.pathname !== '/') {
    const db = /^\/(\d{1,5})$/.exec(url.pathname);
    if (!db) return { problem: 'may end with a database number only (/0, /1, …)' };
    database = Number(db[1]);
  }
  const username = decoded(url.username);
  const password = decoded(url.password);
  if (username === null || password === null) return { problem: 'must percent-encode the user and password correctly' };
  return {
    ok: {
      tls: url.protocol.toLowerCase() === 'rediss:',
      node: { host, port },
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(database !== undefined ? { database } : {}),
    },
  };
}

/** Reads `host[:port]` (IPv6 in brackets: `[::1]:6379`); the port defaults to `defaultPort`. */
export function parseHostPort(text: string, defaultPort: number): Parsed<RedisNode> {
  const m = HOST_PORT.exec(text);
  const host = m ? hostOf(m[1]) : undefined;
  if (!m || !host) return { problem: 'must be host:port (a DNS name or an IP address, IPv6 in brackets)' };
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) return { problem: 'must name a port from 1 to 65535' };
  return { ok: { host, port } };
}

/** How a node is written in logs: `host:port`, an IPv6 address in brackets. */
export function formatNode(node: RedisNode): string {
  return `${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`;
}

/** The host without IPv6 brackets, or undefined when it is neither a DNS name nor an IP address. */
function hostOf(raw: string): string | undefined {
  const v6 = IPV6.exec(raw);
  if (v6) return v6[1].includes(':') ? v6[1] : undefined;
  return HOST.test(raw) ? raw : undefined;
}

function decoded(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
