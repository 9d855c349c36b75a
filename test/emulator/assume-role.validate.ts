/** Syntax checks of AssumeRole parameters, with STS's ValidationError messages. */
import { AwsError } from './aws-error';
import { parseSessionPolicy, type SessionPolicy } from './session-policy.eval';

export interface AssumeRoleRequest {
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  durationSeconds: number;
  policy?: SessionPolicy;
  sourceIdentity?: string;
  tags: Array<{ key: string; value: string }>;
}

/** STS's query form of a tag list: `Tags.member.N.Key` / `Tags.member.N.Value`, N from 1. */
function readTags(params: Record<string, string>): Array<{ key?: string; value?: string }> {
  const tags: Array<{ key?: string; value?: string }> = [];
  for (const [name, v] of Object.entries(params)) {
    const m = /^Tags\.member\.(\d+)\.(Key|Value)$/.exec(name);
    if (!m) continue;
    const tag = (tags[Number(m[1]) - 1] ??= {});
    if (m[2] === 'Key') tag.key = v;
    else tag.value = v;
  }
  return tags.filter((t) => t !== undefined);
}

/** What a call record shows of an AssumeRole's SourceIdentity and tags (as sent, unvalidated). */
export function sessionFieldsOf(params: Record<string, string>): {
  sourceIdentity?: string;
  tags?: Array<{ key: string; value: string }>;
} {
  const tags = readTags(params).map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
  return {
    ...(params['SourceIdentity'] === undefined ? {} : { sourceIdentity: params['SourceIdentity'] }),
    ...(tags.length ? { tags } : {}),
  };
}

// STS's tag pattern: letters, separators, digits and _.:/=+-@ (Unicode classes).
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_PATTERN = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*';

function tagProblems(tags: Array<{ key?: string; value?: string }>): string[] {
  const problems: string[] = [];
  if (tags.length > 50)
    problems.push(
      `Value '[...]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  tags.forEach((t, i) => {
    const at = (f: string) => `at 'tags.${i + 1}.member.${f}' failed to satisfy constraint`;
    if (t.key === undefined) problems.push(`Value null ${at('key')}: Member must not be null`);
    else {
      const n = [...t.key].length;
      if (n < 1) problems.push(`Value '${t.key}' ${at('key')}: Member must have length greater than or equal to 1`);
      if (n > 128) problems.push(`Value '${t.key}' ${at('key')}: Member must have length less than or equal to 128`);
      if (!TAG_CHARS.test(t.key))
        problems.push(
          `Value '${t.key}' ${at('key')}: Member must satisfy regular expression pattern: ${TAG_PATTERN.replace(/\*$/, '+')}`,
        );
    }
    if (t.value === undefined) problems.push(`Value null ${at('value')}: Member must not be null`);
    else {
      if ([...t.value].length > 256)
        problems.push(`Value '${t.value}' ${at('value')}: Member must have length less than or equal to 256`);
      if (!TAG_CHARS.test(t.value))
        problems.push(
          `Value '${t.value}' ${at('value')}: Member must satisfy regular expression pattern: ${TAG_PATTERN}`,
        );
    }
  });
  return problems;
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
  {
    param: 'SourceIdentity',
    field: 'sourceIdentity',
    required: false,
    checks: [minLen(2), maxLen(64), pattern(/^[\w+=,.@-]*$/, '[\\w+=,.@-]*')],
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
  const tags = readTags(params);
  problems.push(...tagProblems(tags));
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
  // The emulator's wording: STS reserves the prefix; its exact message for a tag key is not documented.
  if (tags.some((t) => /^aws:/i.test(t.key ?? '')))
    throw new AwsError(400, 'ValidationError', "Tag keys starting with 'aws:' are reserved for AWS use.");
  if (new Set(tags.map((t) => (t.key ?? '').toLowerCase())).size !== tags.length)
    throw new AwsError(
      400,
      'InvalidParameterValue',
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
  return {
    roleArn,
    roleSessionName: params['RoleSessionName'],
    externalId: params['ExternalId'],
    durationSeconds,
    policy: params['Policy'] === undefined ? undefined : parseSessionPolicy(params['Policy']),
    sourceIdentity: params['SourceIdentity'],
    tags: tags.map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
  };
}
