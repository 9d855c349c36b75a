import { MAX_REGISTRY_INPUT_LENGTH } from '../registry/registry-host';
import { z } from 'zod';
import { hasForbiddenKey } from '../api/request-body';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { VALUE_FREE, issueLines } from '../validation/zod-issues';

/** POST /registry-auth/verify. Unknown fields are dropped. */
export const verifyBody = z.object({
  registry: z
    .string()
    .min(1)
    .max(MAX_REGISTRY_INPUT_LENGTH)
    .describe("The customer's registry host, as for POST /registry-auth."),
  roleArn: z.string().min(1).max(2048).describe('The customer role to check.'),
  externalId: z
    .string()
    .max(1224)
    .optional()
    .describe(
      'The external ID agreed with the customer (required: without it the answer is 400 EXTERNAL_ID_REQUIRED).',
    ),
});

export type VerifyBody = z.infer<typeof verifyBody>;

const repositoryArn = z.string().min(1).max(1024);

/** GET /onboarding/policies. Unknown parameters are ignored. */
export const policiesQuery = z.object({
  externalId: z
    .string()
    .min(1)
    .max(1224)
    .describe("The external ID the customer's trust policy will demand: 2–1224 characters of [A-Za-z0-9_+=,.@:/-]."),
  access: z.enum(['pull', 'push']).default('pull').describe('What the customer role may do with its repositories.'),
  kind: z.enum(['private', 'public']).default('private').describe('Amazon ECR private registries, or ECR Public.'),
  repositoryArn: z
    .union([repositoryArn, z.array(repositoryArn).max(100)], {
      error: 'expected one or more ARNs of at most 1024 characters',
    })
    .optional()
    .describe(
      'Repository ARNs to scope the repository actions to (repeat the parameter for several, at most 20); every repository when absent.',
    ),
});

export type PoliciesQuery = z.infer<typeof policiesQuery>;

/**
 * Parses a query string object with a zod schema: INVALID_REQUEST naming the parameters
 * (never their values) otherwise. A parameter given twice where one is expected is refused.
 */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const value = query ?? {};
  if (typeof value !== 'object' || Array.isArray(value) || hasForbiddenKey(value)) {
    throw new EcrAuthError(
      'INVALID_REQUEST',
      'The query string is not acceptable (a forbidden parameter such as __proto__).',
    );
  }
  const params: Record<string, unknown> = { ...value };
  const parsed = schema.safeParse(params, VALUE_FREE);
  if (!parsed.success) {
    const problems = issueLines(parsed.error.issues, (path) => String(path[0] ?? 'query'), 5);
    throw new EcrAuthError('INVALID_REQUEST', `Invalid query: ${problems.join('; ')}.`);
  }
  return parsed.data;
}
