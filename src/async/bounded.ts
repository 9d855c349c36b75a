class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export type Bounded<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `work` for at most `ms`; never rejects. A late result is ignored. */
export async function bounded<T>(ms: number, work: (() => Promise<T>) | Promise<T>): Promise<Bounded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const running = typeof work === 'function' ? Promise.resolve().then(work) : work;
  running.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
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
