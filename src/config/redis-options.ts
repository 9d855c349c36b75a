import { isIP } from 'node:net';
import type { RedisClientOptions, RedisClusterOptions, RedisSentinelOptions } from 'redis';
import type { RedisNode } from './redis-addresses';
import { passwordFromFile, RedisSettings } from './redis-settings';

/** Reads a file's text (injected: the builders do no other I/O). */
export type ReadFile = (path: string) => string;

/** The socket options the shared tier owns (bounds and back-off), applied to every connection. */
export type CommonSocketOptions = Readonly<
  Pick<NonNullable<RedisClientOptions['socket']>, 'connectTimeout' | 'reconnectStrategy' | 'socketTimeout'>
>;

type CredentialsProvider = NonNullable<RedisClientOptions['credentialsProvider']>;
type TcpSocket = NonNullable<NonNullable<RedisClusterOptions['defaults']>['socket']>;

/** What `createClient` needs to reach the one node of standalone mode; spread the tier's own options beside it. */
export type ClientConnectionOptions = Pick<
  RedisClientOptions,
  'socket' | 'username' | 'password' | 'credentialsProvider' | 'database'
>;
/** What `createCluster` needs: the seeds, and the defaults of every node's connection. */
export type ClusterConnectionOptions = Pick<RedisClusterOptions, 'rootNodes' | 'defaults'>;
/** What `createSentinel` needs: the master's name, the Sentinels, and how to reach data nodes and Sentinels. */
export type SentinelConnectionOptions = Pick<
  RedisSentinelOptions,
  'name' | 'sentinelRootNodes' | 'nodeClientOptions' | 'sentinelClientOptions'
>;

/**
 * node-redis options for standalone mode: the node, TLS (verified, with the CA file's
 * certificates when given, SNI for a host name), the database and the data nodes' credentials.
 * The CA file is read once, here; the password file at every connect.
 */
export function clientOptions(
  settings: RedisSettings,
  readFile: ReadFile,
  common: CommonSocketOptions = {},
): ClientConnectionOptions {
  const [node] = settings.nodes;
  return {
    socket: transport(settings, readFile, common, node),
    ...credentials(settings, readFile),
    ...(settings.database ? { database: settings.database } : {}),
  };
}

/**
 * node-redis options for cluster mode: each seed a root node (SNI for a host name); TLS and
 * credentials in `defaults`, which the connections to the discovered nodes are made from
 * (they are verified against the host name each node announces).
 */
export function clusterOptions(
  settings: RedisSettings,
  readFile: ReadFile,
  common: CommonSocketOptions = {},
): ClusterConnectionOptions {
  return {
    rootNodes: settings.nodes.map((node) => ({ socket: seedSocket(settings, node) })),
    defaults: { socket: transport(settings, readFile, common), ...credentials(settings, readFile) },
  };
}

/**
 * node-redis options for sentinel mode: the master's name and the Sentinels; the data nodes
 * with the URL's (or the password file's) credentials, the Sentinels with the Sentinel
 * password; TLS to both with `rediss://`.
 */
export function sentinelOptions(
  settings: RedisSettings,
  readFile: ReadFile,
  common: CommonSocketOptions = {},
): SentinelConnectionOptions {
  if (settings.sentinelMaster === undefined) throw new Error('sentinelOptions needs the settings of sentinel mode');
  const socket = transport(settings, readFile, common);
  return {
    name: settings.sentinelMaster,
    sentinelRootNodes: settings.nodes.map((n) => ({ host: n.host, port: n.port })),
    nodeClientOptions: { socket, ...credentials(settings, readFile) },
    sentinelClientOptions: {
      socket: { ...socket },
      ...(settings.sentinelPassword !== undefined ? { password: settings.sentinelPassword } : {}),
    },
  };
}

/**
 * The async credentials provider node-redis calls in the handshake of every connection and
 * reconnection: the password file is read then, so a rotated secret is used from the next
 * reconnect on.
 */
export function passwordFileProvider(
  username: string | undefined,
  path: string,
  readFile: ReadFile,
): CredentialsProvider {
  return {
    type: 'async-credentials-provider',
    credentials: () => {
      let password: string;
      try {
        password = passwordFromFile(readFile(path));
      } catch (e) {
        return Promise.reject(new Error('ECR_AUTH_REDIS_PASSWORD_FILE cannot be read', { cause: e }));
      }
      if (password === '') return Promise.reject(new Error('ECR_AUTH_REDIS_PASSWORD_FILE is empty'));
      return Promise.resolve({ ...(username !== undefined ? { username } : {}), password });
    },
  };
}

function credentials(
  settings: RedisSettings,
  readFile: ReadFile,
): Pick<RedisClientOptions, 'username' | 'password' | 'credentialsProvider'> {
  if (settings.passwordFile !== undefined)
    return { credentialsProvider: passwordFileProvider(settings.username, settings.passwordFile, readFile) };
  return {
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
  };
}

/**
 * TLS or plain TCP, with the tier's bounds, to `node` when given. Certificate and host-name
 * verification are Node's defaults and nothing here turns them off; over TLS a host name is
 * also the server name sent for SNI (an IP address is not).
 */
function transport(
  settings: RedisSettings,
  readFile: ReadFile,
  common: CommonSocketOptions,
  node?: RedisNode,
): TcpSocket {
  const at = node ? { host: node.host, port: node.port } : {};
  if (!settings.tls) return { ...common, ...at, tls: false };
  const ca = settings.tlsCaFile !== undefined ? readFile(settings.tlsCaFile) : undefined;
  const servername = node && isIP(node.host) === 0 ? node.host : undefined;
  return { ...common, ...at, tls: true, ...(ca !== undefined ? { ca } : {}), ...(servername ? { servername } : {}) };
}

/** A seed's own socket options: its address (and server name); the rest comes from `defaults`. */
function seedSocket(settings: RedisSettings, node: RedisNode): TcpSocket {
  if (!settings.tls) return { host: node.host, port: node.port, tls: false };
  return { host: node.host, port: node.port, tls: true, ...(isIP(node.host) === 0 ? { servername: node.host } : {}) };
}
