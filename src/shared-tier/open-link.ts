import { readFileSync } from 'node:fs';
import type { CommonSocketOptions } from '../config/redis-options';
import type { RedisSettings } from '../config/redis-settings';
import { LinkEvents, LinkOptions, reconnectDelay, RedisLink } from './redis-link';
import { clusterLink, sentinelLink } from './redis-link-managed';
import { standaloneLink } from './redis-link-standalone';

/** Opens the link the settings ask for and starts connecting in the background. */
export function openLink(settings: RedisSettings, options: LinkOptions, events: LinkEvents): RedisLink {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const common: CommonSocketOptions = {
    connectTimeout: options.connectTimeoutMs,
    reconnectStrategy: (retries: number) => reconnectDelay(retries, options.maxReconnectDelayMs),
  };
  switch (settings.mode) {
    case 'standalone':
      return standaloneLink(settings, readFile, common, events);
    case 'cluster':
      return clusterLink(settings, readFile, common, options.maxReconnectDelayMs, events);
    case 'sentinel':
      return sentinelLink(settings, readFile, common, options.maxReconnectDelayMs, events);
  }
}
