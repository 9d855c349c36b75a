/** Injected faults, consumed in order by the calls they match; and their wire answers. */
import { AwsError } from './aws-error';
import type { Fault, ServiceName } from './emulator.types';

export class FaultQueue {
  private readonly queue: Array<{ fault: Fault; left: number }> = [];

  /** Queues a fault; throws on a nonsensical one (a programming error in a test). */
  push(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new Error(`AwsEmulator.inject: times must be ≥ 1 (got ${times})`);
    if (fault.kind === 'latency' && !(fault.delayMs >= 0))
      throw new Error('AwsEmulator.inject: latency needs delayMs ≥ 0');
    if (fault.kind === 'error' && !(fault.status >= 100 && fault.status <= 599))
      throw new Error('AwsEmulator.inject: error needs an HTTP status');
    this.queue.push({ fault: { ...fault }, left: times });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Faults still queued, with the number of calls each has left. */
  pending(): Array<Fault & { left: number }> {
    return this.queue.map((q) => ({ ...q.fault, left: q.left }));
  }

  /** Takes the first queued fault matching this call, if any. */
  take(service: ServiceName, action: string): Fault | undefined {
    const i = this.queue.findIndex(
      ({ fault }) => (!fault.service || fault.service === service) && (!fault.action || fault.action === action),
    );
    if (i < 0) return undefined;
    const entry = this.queue[i];
    entry.left -= 1;
    if (entry.left <= 0) this.queue.splice(i, 1);
    return entry.fault;
  }
}

/** The error an answering fault (throttle, server-error, error) produces for a service. */
export function faultError(service: ServiceName, fault: Fault): AwsError | undefined {
  switch (fault.kind) {
    case 'throttle':
      return service === 'sts'
        ? new AwsError(400, 'Throttling', 'Rate exceeded')
        : new AwsError(400, 'ThrottlingException', 'Rate exceeded');
    case 'server-error': {
      const status = fault.status ?? 500;
      if (service !== 'sts')
        return new AwsError(status, 'ServerException', 'An internal server error occurred. Try again later.');
      return status === 503
        ? new AwsError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.')
        : new AwsError(
            status,
            'InternalFailure',
            'The request processing has failed because of an unknown error, exception or failure.',
          );
    }
    case 'error':
      return new AwsError(fault.status, fault.code, fault.message);
    default:
      return undefined;
  }
}
