/** Milliseconds since the epoch. Injected everywhere expiry is decided, so tests never sleep. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const CLOCK = Symbol('CLOCK');
