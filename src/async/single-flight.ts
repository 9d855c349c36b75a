/**
 * At most one run of some work per key at a time: callers that arrive while it runs join it
 * and share its result or its failure. Nothing is kept once it settles (holding results is
 * the caller's business: a cache, a field).
 */
export class KeyedFlights<K, V> {
  private readonly flights = new Map<K, Promise<V>>();

  /** The run in progress for `key`, if any. */
  current(key: K): Promise<V> | undefined {
    return this.flights.get(key);
  }

  /** Joins the run in progress for `key`, or starts `work` as it. */
  run(key: K, work: () => Promise<V>): Promise<V> {
    const running = this.flights.get(key);
    if (running) return running;
    const flight = (async () => work())().finally(() => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    });
    this.flights.set(key, flight);
    return flight;
  }

  get size(): number {
    return this.flights.size;
  }
}

/** KeyedFlights for work that has no key: one run at a time, shared by every caller. */
export class SingleFlight<V> {
  private readonly flights = new KeyedFlights<true, V>();

  run(work: () => Promise<V>): Promise<V> {
    return this.flights.run(true, work);
  }

  /** The run in progress, if any. */
  current(): Promise<V> | undefined {
    return this.flights.current(true);
  }

  get running(): boolean {
    return this.flights.size > 0;
  }
}
