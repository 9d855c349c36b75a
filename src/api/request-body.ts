import { z } from 'zod';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { MAX_REGISTRY_INPUT_LENGTH } from '../registry/registry-host';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/**
 * True when any object in the value has a key that could pollute prototypes. Walks the
 * parsed body once; depth-bounded, so a deeply nested body cannot exhaust the stack.
 */
export function hasForbiddenKey(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return true;
    if (hasForbiddenKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * Parses a JSON body with a zod schema: the contract's INVALID_REQUEST with the first
 * problems named by field (never by value).
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new EcrAuthError('INVALID_REQUEST', 'The body must be a JSON object.');
  }
  if (hasForbiddenKey(body)) {
    throw new EcrAuthError(
      'INVALID_REQUEST',
      'The body contains a forbidden key (__proto__, constructor or prototype) or is nested too deeply.',
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${describeIssue(i)}`);
    throw new EcrAuthError('INVALID_REQUEST', `Invalid request: ${problems.join('; ')}.`);
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_big':
      return `at most ${String(issue.maximum)} characters`;
    case 'too_small':
      return `at least ${String(issue.minimum)} characters`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return 'invalid';
  }
}

const text = (max: number) => z.string().max(max);

/** POST /registry-auth. Unknown fields are dropped. */
export const registryAuthBody = z.object({
  // An empty or odd string is UNSUPPORTED_REGISTRY (judged by the host parser), not a shape error.
  registry: z.string().max(MAX_REGISTRY_INPUT_LENGTH),
  roleArn: text(2048).optional(),
  externalId: text(1224).optional(),
  accessKeyId: text(128).optional(),
  secretAccessKey: text(256).optional(),
  sessionToken: text(8192).optional(),
  userName: text(2048).optional(),
  password: text(8192).optional(),
  access: z.enum(['pull', 'push']).optional(),
});

export type RegistryAuthBody = z.infer<typeof registryAuthBody>;

/** DELETE /registry-auth/cache: one of roleArn or registry. */
export const cacheEvictionBody = z.union([
  z.object({ roleArn: z.string().min(1).max(2048) }),
  z.object({ registry: z.string().min(1).max(MAX_REGISTRY_INPUT_LENGTH) }),
]);
