import { createCluster, createSentinel } from 'redis';
import { CommonSocketOptions, clusterOptions, sentinelOptions } from '../config/redis-options';
import type { RedisSettings } from '../config/redis-settings';
import { closeWithin, commandsOf, LinkEvents, NODE_DEFAULTS, reconnectDelay, RedisLink } from './redis-link';
import { REDIS_SCRIPTS } from './redis-scripts';

/**
 * Keeps calling `connect` (a cluster's discovery, a Sentinel set's first look) with the
 * reconnect back-off until it succeeds or the link closes: node-redis gives up on a first
 * connect that fails, the link does not.
 */
function keepConnecting(
  connect: () => Promise<unknown>,
  maxDelayMs: number,
  closed: () => boolean,
  events: LinkEvents,
): void {
  let retries = 0;
  const attempt = () => {
    if (closed()) return;
    connect().then(
      () => undefined,
      (e: unknown) => {
        events.down('main', e);
        events.down('subscriber', e);
        if (closed()) return;
        setTimeout(attempt, reconnectDelay(retries++, maxDelayMs)).unref();
      },
    );
  };
  attempt();
}

/** What the cluster and the Sentinel clients share, as the link drives them. */
interface ManagedClient {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  once(event: string, listener: () => void): unknown;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/**
 * The link over a cluster or a Sentinel client: one command interface, a subscription that
 * waits for the connection rather than being refused offline, a first connect tried again
 * with back-off, and a close within its bound. `readyEvent` is the client's event for "usable
 * again" (a cluster's `connect`, a Sentinel set's `ready`).
 */
function managedLink(
  mode: 'cluster' | 'sentinel',
  client: ManagedClient & Parameters<typeof commandsOf>[0] & NodeJS.EventEmitter,
  readyEvent: 'connect' | 'ready',
  maxDelayMs: number,
  events: LinkEvents,
): RedisLink {
  let closing = false;
  let subscribed = false;
  client.on(readyEvent, () => {
    events.ready('main');
    if (subscribed) events.ready('subscriber');
  });
  client.on('error', (e: unknown) => events.error(e));
  keepConnecting(
    () => client.connect(),
    maxDelayMs,
    () => closing,
    events,
  );
  return {
    mode,
    emitters: { main: client, subscriber: client },
    commands: commandsOf(client),
    get isReady() {
      return !closing && client.isReady;
    },
    get subscriberReady() {
      return !closing && client.isReady && subscribed;
    },
    subscribe: async (channel, listener) => {
      while (!client.isReady && !closing) await new Promise<void>((r) => client.once(readyEvent, r));
      if (closing) return;
      await client.subscribe(channel, listener);
      subscribed = true;
      events.ready('subscriber');
    },
    close: async (timeoutMs) => {
      closing = true;
      await closeWithin(
        timeoutMs,
        () => client.close(),
        () => client.destroy(),
        client.isOpen,
      );
    },
  };
}

/**
 * A Redis Cluster: the seeds are root nodes, every node's connection is made from `defaults`
 * (TLS, credentials, bounds, no offline queue); MOVED/ASK and topology changes are followed
 * by node-redis. PUBLISH reaches subscribers on every node; the subscription lives on one node
 * and node-redis moves it when that node goes.
 */
export function clusterLink(
  settings: RedisSettings,
  readFile: (path: string) => string,
  common: CommonSocketOptions,
  maxDelayMs: number,
  events: LinkEvents,
): RedisLink {
  const { rootNodes, defaults } = clusterOptions(settings, readFile, common);
  const cluster = createCluster({ rootNodes, defaults: { ...defaults, ...NODE_DEFAULTS }, scripts: REDIS_SCRIPTS });
  cluster.on('node-error', (e: unknown) => events.error(e));
  return managedLink('cluster', cluster, 'connect', maxDelayMs, events);
}

/**
 * A master managed by Sentinel: node-redis asks the Sentinels for the master, follows a
 * promotion (and a READONLY answer from a demoted master) and keeps the subscription on the
 * current master.
 */
export function sentinelLink(
  settings: RedisSettings,
  readFile: (path: string) => string,
  common: CommonSocketOptions,
  maxDelayMs: number,
  events: LinkEvents,
): RedisLink {
  const o = sentinelOptions(settings, readFile, common);
  const sentinel = createSentinel({
    ...o,
    nodeClientOptions: { ...o.nodeClientOptions, ...NODE_DEFAULTS },
    scripts: REDIS_SCRIPTS,
  });
  sentinel.on('reconnecting', () => events.down('main', new Error('following the master')));
  sentinel.on('end', () => events.down('main', new Error('connection closed')));
  return managedLink('sentinel', sentinel, 'ready', maxDelayMs, events);
}
