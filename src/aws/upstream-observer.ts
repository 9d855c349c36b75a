import type { AttemptObserver } from './upstream-call';

/** Where upstream attempts are reported (metrics plug in here); the default reports nowhere. */
export type UpstreamObserver = AttemptObserver;

export const UPSTREAM_OBSERVER = Symbol('UPSTREAM_OBSERVER');

export const NO_OBSERVER: UpstreamObserver = () => undefined;
