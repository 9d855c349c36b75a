import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsEmulator } from './aws-emulator';
import { destroyClients, ecr, rejection, SERVICE_USER, standardWorld, sts } from './sdk-clients.fixture';
import { until } from '../fixtures/wait';

describe('AwsEmulator: injected faults', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await AwsEmulator.start();
    standardWorld(emu);
  });
  afterEach(() => {
    emu.clearFaults();
    emu.clearCalls();
    emu.setLatency(0);
  });
  afterAll(async () => {
    destroyClients();
    await emu.close();
  });

  const stsCall = (requestTimeoutMs?: number) =>
    sts(emu, SERVICE_USER, { requestTimeoutMs }).send(new GetCallerIdentityCommand({}));
  const ecrCall = () => ecr(emu, SERVICE_USER).send(new GetAuthorizationTokenCommand({}));

  it('throttles: STS Throttling 400 "Rate exceeded", ECR ThrottlingException 400', async () => {
    emu.inject({ kind: 'throttle', times: 2 });
    const s = await rejection(stsCall());
    expect([s.name, s.$metadata?.httpStatusCode, s.message]).toEqual(['Throttling', 400, 'Rate exceeded']);
    const e = await rejection(ecrCall());
    expect([e.name, e.$metadata?.httpStatusCode, e.message]).toEqual(['ThrottlingException', 400, 'Rate exceeded']);
    await expect(stsCall()).resolves.toBeDefined();
    expect(emu.calls.map((c) => [c.fault, c.status, c.errorCode])).toEqual([
      ['throttle', 400, 'Throttling'],
      ['throttle', 400, 'ThrottlingException'],
      [undefined, 200, undefined],
    ]);
  });

  it('answers server errors: STS InternalFailure 500 / ServiceUnavailable 503, ECR ServerException 500', async () => {
    emu.inject({ kind: 'server-error', service: 'sts' });
    emu.inject({ kind: 'server-error', service: 'sts', status: 503 });
    emu.inject({ kind: 'server-error', service: 'ecr' });
    const a = await rejection(stsCall());
    const b = await rejection(stsCall());
    const c = await rejection(ecrCall());
    expect([a, b, c].map((x) => [x.name, x.$metadata?.httpStatusCode])).toEqual([
      ['InternalFailure', 500],
      ['ServiceUnavailable', 503],
      ['ServerException', 500],
    ]);
  });

  it('answers a custom error in the service format, only for the matching service and action', async () => {
    emu.inject({
      kind: 'error',
      service: 'ecr',
      action: 'GetAuthorizationToken',
      status: 400,
      code: 'LimitExceededException',
      message: 'too many',
    });
    await expect(stsCall()).resolves.toBeDefined();
    const e = await rejection(ecrCall());
    expect([e.name, e.message]).toEqual(['LimitExceededException', 'too many']);
    expect(emu.pendingFaults()).toEqual([]);
  });

  it('holds matching calls, counted in flight, until released; others pass', async () => {
    const hold = emu.hold((c) => c.service === 'sts');
    const arrived = emu.nextCall((c) => c.service === 'sts');
    let answered = false;
    const held = stsCall().then((r) => ((answered = true), r));
    await arrived;
    await expect(ecrCall()).resolves.toBeDefined();
    expect([answered, emu.inFlight]).toEqual([false, 1]);
    hold.release();
    await expect(held).resolves.toMatchObject({ Account: expect.any(String) });
    expect(emu.inFlight).toBe(0);
  });

  it('keeps an Infinity fault until cleared', async () => {
    emu.inject({ kind: 'throttle', service: 'sts', times: Infinity });
    for (let i = 0; i < 3; i++) expect((await rejection(stsCall())).name).toBe('Throttling');
    expect(emu.pendingFaults()).toHaveLength(1);
    emu.clearFaults();
    await expect(stsCall()).resolves.toBeDefined();
  });

  describe('on a fake clock (timers only: sockets, the SDK and Date stay real)', () => {
    beforeEach(() => {
      jest.useFakeTimers({
        doNotFake: ['Date', 'hrtime', 'performance', 'nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'],
      });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    /** Sends `send()`'s call and resolves with its answer, having seen it held for exactly `ms` of the clock. */
    async function heldFor<T>(ms: number, send: () => Promise<T>): Promise<T> {
      const arrived = emu.nextCall();
      let answered = false;
      const answer = send().finally(() => (answered = true));
      await arrived;
      // Its handler sets the delay once its microtasks have run: before the next macrotask.
      await new Promise(setImmediate);
      await jest.advanceTimersByTimeAsync(ms - 1);
      expect([answered, emu.inFlight]).toEqual([false, 1]);
      await jest.advanceTimersByTimeAsync(1);
      return answer;
    }

    it('delays with a latency fault, then answers normally', async () => {
      emu.inject({ kind: 'latency', delayMs: 120 });
      await expect(heldFor(120, stsCall)).resolves.toHaveProperty('Arn', SERVICE_USER.arn);
      expect(emu.calls[0]).toMatchObject({ fault: 'latency', status: 200 });
    });

    it('adds setLatency to every call', async () => {
      emu.setLatency(60);
      await expect(heldFor(60, stsCall)).resolves.toHaveProperty('Arn', SERVICE_USER.arn);
      await expect(heldFor(60, ecrCall)).resolves.toHaveProperty('authorizationData');
      expect(emu.calls.map((c) => [c.service, c.status])).toEqual([
        ['sts', 200],
        ['ecr', 200],
      ]);
    });
  });

  it('never answers with silence (the client times out); the call is logged with status 0', async () => {
    emu.inject({ kind: 'silence', action: 'GetCallerIdentity' });
    const err = await rejection(stsCall(200));
    expect(err.name).toBe('TimeoutError');
    expect(emu.calls[0]).toMatchObject({ fault: 'silence', status: 0, action: 'GetCallerIdentity' });
    await expect(stsCall()).resolves.toBeDefined();
  });

  it('destroys the socket with reset', async () => {
    emu.inject({ kind: 'reset' });
    const err = await rejection(stsCall());
    expect(err.name).not.toMatch(/Throttl|Internal/);
    expect((err as { code?: string }).code ?? err.message).toMatch(/ECONNRESET|socket hang up/);
    expect(emu.calls[0]).toMatchObject({ fault: 'reset', status: 0 });
  });

  it('consumes faults in order, first match first', async () => {
    emu.inject({ kind: 'error', status: 400, code: 'First', message: '1' });
    emu.inject({ kind: 'error', status: 400, code: 'Second', message: '2' });
    expect((await rejection(stsCall())).name).toBe('First');
    expect((await rejection(stsCall())).name).toBe('Second');
  });

  it('refuses nonsensical faults', () => {
    expect(() => emu.inject({ kind: 'throttle', times: 0 })).toThrow(/times/);
  });

  it('closes with silenced requests pending', async () => {
    const other = await AwsEmulator.start();
    other.addUser(SERVICE_USER);
    other.inject({ kind: 'silence' });
    const pending = rejection(sts(other, SERVICE_USER).send(new GetCallerIdentityCommand({})));
    await until(async () => other.calls.length > 0);
    await other.close();
    expect((await pending).message).toMatch(/socket hang up|ECONNRESET/);
  });
});
