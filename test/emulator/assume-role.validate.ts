/** Syntax checks of AssumeRole parameters, with STS's ValidationError messages. */
import { AwsError } from './aws-error';
import { parseSessionPolicy, type SessionPolicy } from './session-policy.eval';

export interface AssumeRoleRequest {
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  durationSeconds: number;
  policy?: SessionPolicy;
}

type Check = (value: string) => string | undefined;

const minLen =
  (n: number): Check =>
  (v) =>
    v.length < n ? `Member must have length greater than or equal to ${n}` : undefined;
const maxLen =
  (n: number): Check =>
  (v) =>
    v.length > n ? `Member must have length less than or equal to ${n}` : undefined;
const pattern =
  (re: RegExp, shown: string): Check =>
  (v) =>
    re.test(v) ? undefined : `Member must satisfy regular expression pattern: ${shown}`;

const FIELDS: Array<{ param: string; field: string; required: boolean; checks: Check[] }> = [
  { param: 'RoleArn', field: 'roleArn', required: true, checks: [minLen(20), maxLen(2048)] },
  {
    param: 'RoleSessionName',
    field: 'roleSessionName',
    required: true,
    checks: [minLen(2), maxLen(64), pattern(/^[\w+=,.@-]*$/, '[\\w+=,.@-]*')],
  },
  {
    param: 'Policy',
    field: 'policy',
    required: false,
    checks: [
      minLen(1),
      maxLen(2048),
      // eslint-disable-next-line no-control-regex -- STS's own character class
      pattern(/^[\u0009\u000A\u000D\u0020-\u00FF]+$/, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'),
    ],
  },
  {
    param: 'ExternalId',
    field: 'externalId',
    required: false,
    checks: [minLen(2), maxLen(1224), pattern(/^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*')],
  },
];

/** Validates AssumeRole's form parameters; throws ValidationError / MalformedPolicyDocument (400). */
export function validateAssumeRole(params: Record<string, string>): AssumeRoleRequest {
  const problems: string[] = [];
  for (const f of FIELDS) {
    const v = params[f.param];
    if (v === undefined) {
      if (f.required) problems.push(`Value null at '${f.field}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    for (const check of f.checks) {
      const constraint = check(v);
      if (constraint) problems.push(`Value '${v}' at '${f.field}' failed to satisfy constraint: ${constraint}`);
    }
  }
  let durationSeconds = 3600;
  const rawDuration = params['DurationSeconds'];
  if (rawDuration !== undefined) {
    durationSeconds = /^-?\d{1,10}$/.test(rawDuration) ? Number(rawDuration) : NaN;
    if (Number.isNaN(durationSeconds))
      problems.push(
        `Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`,
      );
    else if (durationSeconds < 900)
      problems.push(
        `Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    else if (durationSeconds > 43200)
      problems.push(
        `Value '${rawDuration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
      );
  }
  if (problems.length) {
    const n = problems.length;
    throw new AwsError(
      400,
      'ValidationError',
      `${n} validation error${n > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
    );
  }
  const roleArn = params['RoleArn'];
  if (!/^arn:[\w-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn))
    throw new AwsError(400, 'ValidationError', `${roleArn} is invalid`);
  return {
    roleArn,
    roleSessionName: params['RoleSessionName'],
    externalId: params['ExternalId'],
    durationSeconds,
    policy: params['Policy'] === undefined ? undefined : parseSessionPolicy(params['Policy']),
  };
}
