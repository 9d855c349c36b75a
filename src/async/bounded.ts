class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export type Bounded<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `work` for at most `ms`; never rejects. A late result is ignored.
 *
 * The timeout gives way to answers that are already in: after the event loop was blocked
 * (a busy process), the timers phase runs before the I/O phase, so a reply that arrived in
 * time would lose to its own timer. The timeout is therefore decided in the check phase
 * (`setImmediate`), after pending I/O has been read.
 */
export async function bounded<T>(ms: number, work: (() => Promise<T>) | Promise<T>): Promise<Bounded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const running = typeof work === 'function' ? Promise.resolve().then(work) : work;
  running.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new TimeoutError(ms))).unref(), ms);
    timer.unref();
  });
  try {
    return { ok: true, value: await Promise.race([running, timeout]) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}
