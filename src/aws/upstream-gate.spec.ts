import type { Hop } from './aws-error.mapper';
import { fairnessGroup, UpstreamGate } from './upstream-gate';

/** A gate on a clock the test moves, and callers that record the order they were let through. */
function gateWorld(limit: number) {
  let now = 0;
  const waits: number[] = [];
  const gate = new UpstreamGate(limit, () => now);
  gate.observe({ granted: (ms) => void waits.push(ms) });
  const order: string[] = [];
  const releases = new Map<string, () => void>();
  const enter = (group: string, name: string, signal?: AbortSignal) =>
    gate.acquire(group, signal).then((release) => {
      order.push(name);
      releases.set(name, release);
    });
  /** Lets the granted continuations run (grants resolve promises). */
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    gate,
    order,
    waits,
    enter,
    settle,
    release: (name: string) => releases.get(name)!(),
    at: (ms: number) => void (now = ms),
  };
}

describe('UpstreamGate', () => {
  it('lets `limit` callers through at once and queues the rest', async () => {
    const w = gateWorld(2);
    void w.enter('a', 'a1');
    void w.enter('a', 'a2');
    void w.enter('a', 'a3');
    await w.settle();
    expect(w.order).toEqual(['a1', 'a2']);
    expect([w.gate.inFlight, w.gate.depth]).toEqual([2, 1]);
    w.release('a1');
    await w.settle();
    expect(w.order).toEqual(['a1', 'a2', 'a3']);
    expect([w.gate.inFlight, w.gate.depth]).toEqual([2, 0]);
  });

  it('serves waiting groups round robin, FIFO within a group', async () => {
    const w = gateWorld(1);
    void w.enter('a', 'a0');
    await w.settle();
    for (const name of ['a1', 'a2', 'a3', 'a4']) void w.enter('a', name);
    void w.enter('b', 'b1');
    void w.enter('b', 'b2');
    void w.enter('c', 'c1');
    const expected = ['a0', 'a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4'];
    for (let i = 0; i < expected.length - 1; i++) {
      w.release(w.order[i]);
      await w.settle();
    }
    expect(w.order).toEqual(expected);
  });

  it("a group's single call waits at most one turn of every other waiting group", async () => {
    const w = gateWorld(2);
    void w.enter('burst', 'x0');
    void w.enter('burst', 'x1');
    await w.settle();
    for (let i = 2; i < 30; i++) void w.enter('burst', `x${i}`);
    void w.enter('other', 'y');
    w.release('x0');
    await w.settle();
    w.release('x1');
    await w.settle();
    expect(w.order).toEqual(['x0', 'x1', 'x2', 'y']);
  });

  it('reports each wait on its clock: 0 when a slot was free', async () => {
    const w = gateWorld(1);
    void w.enter('a', 'a1');
    void w.enter('b', 'b1');
    await w.settle();
    w.at(250);
    w.release('a1');
    await w.settle();
    expect(w.waits).toEqual([0, 250]);
  });

  it('a waiter whose signal aborts leaves the queue with the reason, and holds no slot', async () => {
    const w = gateWorld(1);
    void w.enter('a', 'a1');
    const controller = new AbortController();
    const leaving = w.enter('b', 'b1', controller.signal);
    void w.enter('c', 'c1');
    await w.settle();
    controller.abort(new Error('deadline'));
    await expect(leaving).rejects.toThrow('deadline');
    expect(w.gate.depth).toBe(1);
    w.release('a1');
    await w.settle();
    expect(w.order).toEqual(['a1', 'c1']);
  });

  it('refuses at once with a signal already aborted; a release twice frees one slot', async () => {
    const w = gateWorld(1);
    const controller = new AbortController();
    controller.abort(new Error('late'));
    await expect(w.gate.acquire('a', controller.signal)).rejects.toThrow('late');
    const release = await w.gate.acquire('a');
    release();
    release();
    expect(w.gate.inFlight).toBe(0);
  });
});

describe('fairnessGroup', () => {
  const customer = (roleArn: string): Hop => ({ step: 'customer', roleArn, externalIdSent: true, viaJump: true });
  const ecr = (registry: string, roleArn?: string): Hop => ({
    step: 'ecr',
    service: 'ecr',
    registry,
    keyKind: roleArn ? 'role' : 'static',
    roleArn,
  });
  it.each<[string, Hop, string]>([
    ['customer hop: the role account', customer('arn:aws:iam::222222222222:role/pull'), '222222222222'],
    [
      'ECR with a role: the role account',
      ecr('333333333333.dkr.ecr.eu-west-1.amazonaws.com', 'arn:aws:iam::222222222222:role/pull'),
      '222222222222',
    ],
    [
      'ECR with a static key: the registry account',
      ecr('333333333333.dkr.ecr.eu-west-1.amazonaws.com'),
      '333333333333',
    ],
    [
      'ECR Public with a static key',
      { step: 'ecr', service: 'ecr-public', registry: 'public.ecr.aws', keyKind: 'static' },
      'public',
    ],
    ['the jump hop: the service', { step: 'jump', roleArn: 'arn:aws:iam::111111111111:role/jump' }, 'service'],
    ['the identity look-up: the service', { step: 'identity' }, 'service'],
  ])('%s', (_name, hop, group) => expect(fairnessGroup(hop)).toBe(group));
});
