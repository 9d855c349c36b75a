import { z } from 'zod';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { MAX_REGISTRY_INPUT_LENGTH } from '../registry/registry-host';
import {
  REPOSITORY_BUDGET_RULE,
  REPOSITORY_BUDGET,
  REPOSITORY_NAME,
  REPOSITORY_NAME_MAX_LENGTH,
  REPOSITORY_NAME_RULE,
  canonicalRepositories,
  repositoryBudgetUsed,
} from '../policies/repository-scope';
import { MAX_SESSION_TAGS, TAG_KEY_RULE, TAG_VALUE_RULE, isValidTagKey, isValidTagValue } from '../sts/session-tags';
import { VALUE_FREE, issueLines } from '../validation/zod-issues';

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
  const parsed = schema.safeParse(body, VALUE_FREE);
  if (!parsed.success) {
    const problems = issueLines(parsed.error.issues, fieldOf, 5);
    throw new EcrAuthError('INVALID_REQUEST', `Invalid request: ${problems.join('; ')}.`);
  }
  return parsed.data;
}

/** The field a problem is in: the top-level name, a list item by position; never a key the caller chose. */
function fieldOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'body';
  return typeof path[1] === 'number' ? `${String(path[0])} (item ${path[1] + 1})` : String(path[0]);
}

const text = (max: number) => z.string().max(max);

/**
 * Session tags within STS's rules (keys, values, count; keys distinct ignoring case, as STS
 * compares them). Which keys a request may use is the deployment's (ECR_AUTH_SESSION_TAG_KEYS),
 * checked where the configuration is known. Messages never repeat a key or a value.
 */
const sessionTags = z
  .record(z.string(), z.string())
  .superRefine((tags, ctx) => {
    const keys = Object.keys(tags);
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (keys.length > MAX_SESSION_TAGS) problem(`at most ${MAX_SESSION_TAGS} tags (STS's limit)`);
    if (!keys.every(isValidTagKey)) problem(`each key must be ${TAG_KEY_RULE}`);
    if (!Object.values(tags).every(isValidTagValue)) problem(`each value must be ${TAG_VALUE_RULE}`);
    if (new Set(keys.map((k) => k.toLowerCase())).size !== keys.length)
      problem('two keys differ only by case (STS compares keys ignoring case)');
  })
  .describe(
    `Session tags for the customer's session (CloudTrail, attribute-based access control): keys from ECR_AUTH_SESSION_TAG_KEYS, at most ${MAX_SESSION_TAGS}; each key ${TAG_KEY_RULE}, each value ${TAG_VALUE_RULE}. Ignored for static keys.`,
  );

/** ECR repository names the session is scoped to; sorted and without repeats once parsed. */
const repositories = z
  .array(
    z
      .string()
      .max(REPOSITORY_NAME_MAX_LENGTH)
      .regex(REPOSITORY_NAME, { message: `must be an ECR repository name: ${REPOSITORY_NAME_RULE}` }),
  )
  .min(1)
  .max(100)
  .transform(canonicalRepositories)
  .refine((names) => repositoryBudgetUsed(names) <= REPOSITORY_BUDGET, { message: REPOSITORY_BUDGET_RULE })
  .describe(
    `ECR repository names (* as a wildcard) the session may use with \`access\` (default pull); private registries only. Bound: ${REPOSITORY_BUDGET_RULE}.`,
  );

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
  sessionTags: sessionTags.optional(),
  repositories: repositories.optional(),
});

export type RegistryAuthBody = z.infer<typeof registryAuthBody>;

/** DELETE /registry-auth/cache: one of roleArn or registry. */
export const cacheEvictionBody = z.union([
  z.object({ roleArn: z.string().min(1).max(2048) }),
  z.object({ registry: z.string().min(1).max(MAX_REGISTRY_INPUT_LENGTH) }),
]);
