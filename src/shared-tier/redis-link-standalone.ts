import { createClient } from 'redis';
import { CommonSocketOptions, clientOptions } from '../config/redis-options';
import type { RedisSettings } from '../config/redis-settings';
import { closeWithin, commandsOf, LinkEvents, NODE_DEFAULTS, RedisLink } from './redis-link';
import { REDIS_SCRIPTS } from './redis-scripts';

/**
 * One node: a command connection, and a second one for the eviction channel's subscription
 * (a connection in subscriber mode takes no other command). Each reconnects with the back-off.
 */
export function standaloneLink(
  settings: RedisSettings,
  readFile: (path: string) => string,
  common: CommonSocketOptions,
  events: LinkEvents,
): RedisLink {
  const client = createClient({
    ...clientOptions(settings, readFile, common),
    ...NODE_DEFAULTS,
    scripts: REDIS_SCRIPTS,
  });
  // Subscriptions are not on the request path: they may wait for the connection.
  const subscriber = client.duplicate({ disableOfflineQueue: false });
  for (const [path, c] of [
    ['main', client],
    ['subscriber', subscriber],
  ] as const) {
    c.on('ready', () => events.ready(path));
    c.on('error', (e: unknown) => events.down(path, e));
    c.on('end', () => events.down(path, new Error('connection closed')));
    c.connect().catch(() => undefined);
  }
  const quit = async (c: typeof client, timeoutMs: number) => {
    if (!c.isOpen) return;
    await closeWithin(
      timeoutMs,
      () => c.close(),
      () => c.isOpen && c.destroy(),
      c.isReady,
    );
    // A close that waits on a hung server must not keep the process alive.
    c.unref();
  };
  return {
    mode: 'standalone',
    emitters: { main: client, subscriber },
    commands: commandsOf(client),
    get isReady() {
      return client.isReady;
    },
    get subscriberReady() {
      return subscriber.isReady;
    },
    subscribe: async (channel, listener) => {
      await subscriber.subscribe(channel, listener);
    },
    close: async (timeoutMs) => {
      await Promise.all([quit(client, timeoutMs), quit(subscriber, timeoutMs)]);
    },
  };
}
