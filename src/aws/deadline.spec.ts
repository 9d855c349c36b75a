import { DeadlineExceeded, deadlineError } from '../errors/deadline.error';
import { aborted, disposedDeadlines } from '../../test/fixtures/deadlines';

const deadline = disposedDeadlines();

describe('Deadline', () => {
  it('aborts its signal with DeadlineExceeded when the budget runs out', async () => {
    const d = deadline(20);
    expect(d.expired).toBe(false);
    expect(d.remainingMs()).toBeGreaterThan(0);
    await aborted(d.signal);
    expect(d.expired).toBe(true);
    expect(d.signal.reason).toBeInstanceOf(DeadlineExceeded);
    expect(d.remainingMs()).toBe(0);
  });

  it('an attempt signal aborts on its own timeout before the deadline', async () => {
    const d = deadline(5000);
    const signal = d.attemptSignal(10);
    await aborted(signal);
    expect(d.expired).toBe(false);
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });

  it.each([
    [true, 'UPSTREAM_THROTTLED', 503],
    [false, 'UPSTREAM_TIMEOUT', 504],
  ])('deadlineError(lastThrottled=%s) → %s', (lastThrottled, code, status) => {
    expect(deadlineError(lastThrottled)).toMatchObject({ code, status });
  });
});
