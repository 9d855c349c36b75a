import type { z } from 'zod';

const QUIET_KEY = /^[\w.-]{1,40}$/;

/**
 * The one wording of a zod issue, used by every parse of outside input (request bodies, query
 * strings, the OIDC providers' JSON): value-free, by issue code. A message the schema sets
 * itself (`{ error }`, a refinement's message) wins, by zod's own precedence.
 */
export function issueMessage(issue: z.core.$ZodRawIssue): string {
  if (issue.input === undefined && issue.code !== 'custom' && issue.code !== 'unrecognized_keys') return 'missing';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}${unit(issue.origin)}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}${unit(issue.origin)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      // A key is named only when it looks like a field name: it could be anything the sender typed.
      return `has an unknown field ${issue.keys.map((k) => (QUIET_KEY.test(k) ? `"${k}"` : 'with an unusual name')).join(', ')}`;
    default:
      return 'invalid';
  }
}

/** Parse options that word every issue with {@link issueMessage}: `schema.safeParse(value, VALUE_FREE)`. */
export const VALUE_FREE = { error: issueMessage } as const;

/**
 * The problems of a failed parse: `<field>: <message>` (the message alone at the top level),
 * the first issue of each field, at most `limit` lines. `fieldOf` names a field from its path
 * the way the input's readers know it, and never by a key they chose.
 */
export function issueLines(
  issues: readonly z.core.$ZodIssue[],
  fieldOf: (path: readonly PropertyKey[]) => string,
  limit = Number.POSITIVE_INFINITY,
): string[] {
  const lines = new Map<string, string>();
  for (const issue of issues) {
    if (lines.size >= limit) break;
    const field = fieldOf(issue.path);
    const key = issue.code === 'unrecognized_keys' ? `${field}\0keys` : field;
    if (!lines.has(key)) lines.set(key, field ? `${field}: ${issue.message}` : issue.message);
  }
  return [...lines.values()];
}

function unit(origin: string): string {
  if (origin === 'array' || origin === 'set') return ' items';
  return origin === 'string' ? ' characters' : '';
}
