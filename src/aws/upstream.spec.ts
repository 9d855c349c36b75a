import { EcrAuthError } from '../errors/ecr-auth.error';
import type { Hop } from './aws-error.mapper';
import { Deadline } from './deadline';
import { AttemptObserver, retryAfterSeconds, Upstream, UpstreamSettings } from './upstream';
import { UpstreamGate } from './upstream-gate';
import { aborted, disposedDeadlines } from '../../test/fixtures/deadlines';

const HOP: Hop = {
  step: 'customer',
  roleArn: 'arn:aws:iam::222222222222:role/x',
  trustedPrincipal: 'arn:aws:iam::111111111111:role/jump',
  externalIdSent: true,
  viaJump: true,
};
// Small delays keep the spec fast: backoff below min(2500, 1·2^(n-1)) ms; Retry-After from the 2500 ms max is 3 s.
const SETTINGS = { retry: { maxAttempts: 4, minDelayMs: 1, maxDelayMs: 2500 }, upstreamTimeoutMs: 1000 };

/** An error as the AWS SDK throws it. */
function awsError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} from upstream`), { name, $metadata: { httpStatusCode: status } }, extra);
}

/** An upstream that fails with each of `errors` in turn, then answers `value`; counts its calls. */
function upstream<T>(value: T, ...errors: Error[]) {
  const calls: AbortSignal[] = [];
  const call = async (signal: AbortSignal): Promise<T> => {
    calls.push(signal);
    const error = errors[calls.length - 1];
    if (error) throw error;
    return value;
  };
  return { call, calls };
}

/** An upstream that never answers, but gives up when its signal aborts (as the SDK does). */
async function hanging(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

async function failure(promise: Promise<unknown>): Promise<EcrAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EcrAuthError);
  return error as EcrAuthError;
}

const deadline = disposedDeadlines();

function recorder() {
  const events: Array<Parameters<AttemptObserver>[0]> = [];
  return { events, observe: (e: Parameters<AttemptObserver>[0]) => void events.push(e) };
}

/** One call through an Upstream built for the test (its own gate unless one is given). */
function run<T>(
  call: (signal: AbortSignal) => Promise<T>,
  d: Deadline,
  settings: UpstreamSettings,
  options: { observe?: AttemptObserver; gate?: UpstreamGate } = {},
): Promise<T> {
  const upstream = new Upstream(settings, options.gate);
  if (options.observe) upstream.observe(options.observe);
  return upstream.call(HOP, call, d);
}

describe('Upstream.call retries', () => {
  const throttling = () => awsError('Throttling', 400);

  it('answers at once when the upstream answers', async () => {
    const { call, calls } = upstream('token');
    await expect(run(call, deadline(5000), SETTINGS)).resolves.toBe('token');
    expect(calls).toHaveLength(1);
  });

  it('retries throttling up to maxAttempts, then UPSTREAM_THROTTLED with Retry-After', async () => {
    const { call, calls } = upstream('never', throttling(), throttling(), throttling(), throttling(), throttling());
    const error = await failure(run(call, deadline(5000), SETTINGS));
    expect(calls).toHaveLength(4);
    expect(error).toMatchObject({ code: 'UPSTREAM_THROTTLED', status: 503, retryAfterSeconds: 3 });
    expect(error.cause).toMatchObject({ name: 'Throttling', kind: 'throttled', hop: 'customer' });
  });

  it('gives UPSTREAM_UNAVAILABLE a Retry-After too once the budget is spent', async () => {
    const { call } = upstream('never', ...Array.from({ length: 4 }, () => awsError('ServiceUnavailable', 503)));
    expect(await failure(run(call, deadline(5000), SETTINGS))).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryAfterSeconds: 3,
    });
  });

  it('tries AccessDenied once: a refusal is not transient', async () => {
    const { call, calls } = upstream('never', awsError('AccessDenied', 403), throttling());
    const error = await failure(run(call, deadline(5000), SETTINGS));
    expect(calls).toHaveLength(1);
    expect(error.code).toBe('ASSUME_ROLE_DENIED');
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('succeeds after two transient failures', async () => {
    const { call, calls } = upstream('token', throttling(), awsError('Error', 0, { code: 'ECONNRESET' }));
    await expect(run(call, deadline(5000), SETTINGS)).resolves.toBe('token');
    expect(calls).toHaveLength(3);
  });

  it('with maxAttempts 1 tries a transient failure once', async () => {
    const { call, calls } = upstream('never', throttling(), throttling());
    const settings = { ...SETTINGS, retry: { ...SETTINGS.retry, maxAttempts: 1 } };
    expect((await failure(run(call, deadline(5000), settings))).code).toBe('UPSTREAM_THROTTLED');
    expect(calls).toHaveLength(1);
  });
});

describe('Upstream.call deadlines', () => {
  it('UPSTREAM_TIMEOUT when a call that never settles outlives the request deadline', async () => {
    // The attempt timeout (1000 ms) is past the deadline: only the deadline can end the call.
    const d = deadline(100);
    const error = await failure(run(hanging, d, SETTINGS));
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
    expect(d.expired).toBe(true);
  });

  it('UPSTREAM_THROTTLED (503) when the deadline passes after a throttled attempt', async () => {
    let calls = 0;
    const call = (signal: AbortSignal) =>
      ++calls === 1 ? Promise.reject(awsError('Throttling', 400)) : hanging(signal);
    const error = await failure(run(call, deadline(100), SETTINGS));
    expect(error).toMatchObject({ code: 'UPSTREAM_THROTTLED', status: 503, retryAfterSeconds: 1 });
    expect(calls).toBe(2);
  });

  it('aborts each attempt after upstreamTimeoutMs and retries it as a timeout', async () => {
    const signals: AbortSignal[] = [];
    const call = (signal: AbortSignal) => (signals.push(signal), hanging(signal));
    const settings = { ...SETTINGS, retry: { ...SETTINGS.retry, maxAttempts: 2 }, upstreamTimeoutMs: 20 };
    const error = await failure(run(call, deadline(5000), settings));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('UPSTREAM_TIMEOUT when the wait for an upstream slot outlives the deadline; the slot holder is unaffected', async () => {
    const gate = new UpstreamGate(1);
    const holder = await gate.acquire('other');
    const { call, calls } = upstream('token');
    expect((await failure(run(call, deadline(30), SETTINGS, { gate }))).code).toBe('UPSTREAM_TIMEOUT');
    expect(calls).toHaveLength(0);
    expect([gate.inFlight, gate.depth]).toEqual([1, 0]);
    holder();
  });

  it('holds a slot for each attempt, never across a back-off', async () => {
    const gate = new UpstreamGate(1);
    const inFlight: number[] = [];
    const call = async () => {
      inFlight.push(gate.inFlight);
      if (inFlight.length < 3) throw awsError('Throttling', 400);
      return 'token';
    };
    await expect(run(call, deadline(5000), SETTINGS, { gate })).resolves.toBe('token');
    expect(inFlight).toEqual([1, 1, 1]);
    expect(gate.inFlight).toBe(0);
  });

  it('makes no call once the deadline has passed', async () => {
    const d = deadline(1);
    await aborted(d.signal);
    const { call, calls } = upstream('token');
    expect((await failure(run(call, d, SETTINGS))).code).toBe('UPSTREAM_TIMEOUT');
    expect(calls).toHaveLength(0);
  });
});

describe('Upstream.call observer', () => {
  it('sees each failed attempt, and whether it will be retried', async () => {
    const { events, observe } = recorder();
    const { call } = upstream('token', awsError('Throttling', 400), awsError('InternalFailure', 500));
    await run(call, deadline(5000), SETTINGS, { observe });
    expect(events.map((e) => [e.hop, e.service, e.operation, e.attempt, e.outcome, e.willRetry])).toEqual([
      ['customer', 'sts', 'AssumeRole', 1, 'UPSTREAM_THROTTLED', true],
      ['customer', 'sts', 'AssumeRole', 2, 'UPSTREAM_UNAVAILABLE', true],
      ['customer', 'sts', 'AssumeRole', 3, 'OK', false],
    ]);
  });

  it('sees the last attempt of a spent budget as not retried', async () => {
    const { events, observe } = recorder();
    const { call } = upstream('never', ...Array.from({ length: 4 }, () => awsError('Throttling', 400)));
    await failure(run(call, deadline(5000), SETTINGS, { observe }));
    expect(events.map((e) => [e.attempt, e.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ]);
  });

  it('sees a refusal that is not retried', async () => {
    const { events, observe } = recorder();
    const { call } = upstream('never', awsError('AccessDenied', 403));
    await failure(run(call, deadline(5000), SETTINGS, { observe }));
    expect(events.map((e) => [e.attempt, e.outcome, e.willRetry])).toEqual([[1, 'ASSUME_ROLE_DENIED', false]]);
  });

  it('does not alter the outcome', async () => {
    const { call } = upstream('token', awsError('Throttling', 400));
    await expect(run(call, deadline(5000), SETTINGS, { observe: () => undefined })).resolves.toBe('token');
  });
});

describe('retryAfterSeconds', () => {
  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [2000, 2],
    [2500, 3],
    [600000, 600],
  ])('max delay %i ms → Retry-After %i s (the largest backoff, at least 1)', (maxDelayMs, seconds) => {
    expect(retryAfterSeconds({ maxDelayMs })).toBe(seconds);
  });
});
