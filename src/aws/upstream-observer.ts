import type { AttemptObserver } from './upstream-call';

/**
 * Hooks through which upstream activity is observed (metrics and logs plug in here).
 * The default observes nothing.
 */
export interface UpstreamObserver {
  readonly attempt: AttemptObserver;
  readonly call: (event: { service: 'sts' | 'ecr' | 'ecr-public'; operation: string; hop: string }) => void;
}

export const UPSTREAM_OBSERVER = Symbol('UPSTREAM_OBSERVER');

export const NO_OBSERVER: UpstreamObserver = { attempt: () => undefined, call: () => undefined };
