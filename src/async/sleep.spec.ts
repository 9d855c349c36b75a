import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { bounded } from './bounded';
import { sleep } from './sleep';

describe('sleep', () => {
  it('resolves at once for no wait or an aborted signal', async () => {
    const aborted = AbortSignal.abort();
    await expect(sleep(0)).resolves.toBeUndefined();
    await expect(sleep(60_000, aborted)).resolves.toBeUndefined();
  });

  it('is cut short when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});

describe('bounded', () => {
  it('gives the value, or the failure, of work that settles', async () => {
    expect(await bounded(60_000, async () => 1)).toEqual({ ok: true, value: 1 });
    const failed = await bounded(60_000, () => Promise.reject(new Error('no')));
    expect(failed).toMatchObject({ ok: false, error: new Error('no') });
  });

  it('gives up on work that never settles', async () => {
    const never = new Promise<number>(() => undefined);
    const result = await bounded(1, never);
    expect(result.ok).toBe(false);
    expect(String((result as { error: unknown }).error)).toMatch(/no answer within 1 ms/);
  });

  it('lets an answer that arrived while the event loop was blocked beat its own timer', async () => {
    const accepted: Socket[] = [];
    const server = createServer((s) => accepted.push(s));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    await once(server, 'connection');
    try {
      const answer = once(client, 'data');
      const result = bounded(5, answer);
      accepted[0].write('pong'); // in the kernel's buffer before the loop is blocked
      // A busy process: the loop is held past the bound, as under CPU starvation.
      const until = performance.now() + 50;
      while (performance.now() < until);
      expect((await result).ok).toBe(true);
    } finally {
      client.destroy();
      accepted.forEach((s) => s.destroy());
      server.close();
    }
  });
});
