import { MAX_REGISTRY_INPUT_LENGTH } from '../registry/registry-host';
import { z } from 'zod';
import { hasForbiddenKey } from '../api/request-body';
import { EcrAuthError } from '../errors/ecr-auth.error';

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
    .union([repositoryArn, z.array(repositoryArn).max(100)])
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
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => {
      const name = String(i.path[0] ?? 'query');
      return `${name}: ${params[name] === undefined && i.code === 'invalid_type' ? 'missing' : describe(i)}`;
    });
    throw new EcrAuthError('INVALID_REQUEST', `Invalid query: ${problems.join('; ')}.`);
  }
  return parsed.data;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected one ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}`;
    case 'too_small':
      return `at least ${String(issue.minimum)} characters`;
    case 'invalid_union':
      return 'expected one or more ARNs of at most 1024 characters';
    default:
      return 'invalid';
  }
}
