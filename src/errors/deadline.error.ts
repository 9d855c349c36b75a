import { EcrAuthError } from './ecr-auth.error';

/** The reason a request's deadline aborts its signal with. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('request deadline exceeded');
    this.name = 'DeadlineExceeded';
  }
}

export function deadlineError(lastThrottled: boolean): EcrAuthError {
  return lastThrottled
    ? new EcrAuthError(
        'UPSTREAM_THROTTLED',
        'AWS kept throttling until the request deadline; retry after the indicated delay.',
        { retryAfterSeconds: 1 },
      )
    : new EcrAuthError(
        'UPSTREAM_TIMEOUT',
        'AWS did not answer within the request deadline (ECR_AUTH_REQUEST_DEADLINE_MS); retry later.',
      );
}
