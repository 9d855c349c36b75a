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
  let closing = false;
  let subscribed = false;
  cluster.on('connect', () => {
    events.ready('main');
    if (subscribed) events.ready('subscriber');
  });
  cluster.on('error', (e: unknown) => events.error(e));
  cluster.on('node-error', (e: unknown) => events.error(e));
  keepConnecting(
    () => cluster.connect(),
    maxDelayMs,
    () => closing,
    events,
  );
  return {
    mode: 'cluster',
    emitters: { main: cluster, subscriber: cluster },
    commands: commandsOf(cluster),
    get isReady() {
      return !closing && cluster.isReady;
    },
    get subscriberReady() {
      return !closing && cluster.isReady && subscribed;
    },
    subscribe: async (channel, listener) => {
      // A cluster's SUBSCRIBE waits for its connection rather than being refused offline.
      while (!cluster.isReady && !closing) await new Promise((r) => cluster.once('connect', r));
      if (closing) return;
      await cluster.subscribe(channel, listener);
      subscribed = true;
      events.ready('subscriber');
    },
    close: async (timeoutMs) => {
      closing = true;
      await closeWithin(
        timeoutMs,
        () => cluster.close(),
        () => cluster.destroy(),
        cluster.isOpen,
      );
    },
  };
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
  let closing = false;
  let subscribed = false;
  sentinel.on('ready', () => {
    events.ready('main');
    if (subscribed) events.ready('subscriber');
  });
  sentinel.on('reconnecting', () => events.down('main', new Error('following the master')));
  sentinel.on('end', () => events.down('main', new Error('connection closed')));
  sentinel.on('error', (e: unknown) => events.error(e));
  keepConnecting(
    () => sentinel.connect(),
    maxDelayMs,
    () => closing,
    events,
  );
  return {
    mode: 'sentinel',
    emitters: { main: sentinel, subscriber: sentinel },
    commands: commandsOf(sentinel),
    get isReady() {
      return !closing && sentinel.isReady;
    },
    get subscriberReady() {
      return !closing && sentinel.isReady && subscribed;
    },
    subscribe: async (channel, listener) => {
      while (!sentinel.isReady && !closing) await new Promise((r) => sentinel.once('ready', r));
      if (closing) return;
      await sentinel.subscribe(channel, listener);
      subscribed = true;
      events.ready('subscriber');
    },
    close: async (timeoutMs) => {
      closing = true;
      await closeWithin(
        timeoutMs,
        () => sentinel.close(),
        () => sentinel.destroy(),
        sentinel.isOpen,
      );
    },
  };
}
