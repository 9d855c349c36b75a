import { z } from 'zod';
import { ERROR_CODES } from '../errors/error-codes';
import { CHECK_NAMES } from '../onboarding/verify-checks';

/**
 * The answers of the HTTP API, as zod schemas: the source of their OpenAPI description.
 * Every body may carry more fields than listed (the contract's rule), so none is closed.
 */
const timestamp = () => z.string().meta({ format: 'date-time' });

export const errorBody = z.object({
  statusCode: z.number().int().describe('The HTTP status, repeated.'),
  code: z.enum(ERROR_CODES).describe('Stable: build error handling on it.'),
  message: z
    .string()
    .describe(
      'What went wrong and what to do; for people, may be reworded. Never carries a secret, a token or an external ID.',
    ),
  requestId: z.string().describe('The request id (`X-Request-Id`), to find the log line.'),
});

export const registryLogin = z.object({
  registry: z.string().describe('The registry host, normalised (lower case, no scheme, port or path).'),
  username: z.string().describe('Always `AWS`.'),
  password: z.string().describe("The ECR token's secret: `docker login -u AWS -p <password> <registry>`."),
  expiresAt: timestamp().describe(
    "When the login stops working: the earlier of the ECR token's and the session's expiry.",
  ),
});

export const evictionResult = z.object({
  evicted: z.number().int().min(0).describe('Entries evicted (tokens and remembered refusals).'),
});

export const verifyResult = z.object({
  ok: z.boolean().describe('True when every check is.'),
  checks: z
    .array(
      z.object({
        name: z
          .enum(CHECK_NAMES)
          .describe(
            '`assume-with-external-id`: the role can be assumed with the external ID. `assume-without-external-id-refused`: STS refuses it without (else the role is open to the confused deputy). `ecr-token`: its session may call GetAuthorizationToken.',
          ),
        ok: z.boolean(),
        message: z.string().describe('What was found and, when not ok, what to change.'),
      }),
    )
    .describe('In this order: assume-with-external-id, assume-without-external-id-refused, ecr-token.'),
});

const policyDocument = z
  .looseObject({ Version: z.literal('2012-10-17'), Statement: z.array(z.record(z.string(), z.unknown())) })
  .describe('An IAM policy document.');

export const onboardingDocuments = z.object({
  customerPermissionsPolicy: policyDocument.describe(
    'The customer role\'s permissions policy: the login action on "*", the access\'s image actions on the repositories.',
  ),
  customerTrustPolicy: policyDocument.describe(
    "The customer role's trust policy: the jump role (or, without one, the service identity) may assume it with the external ID only.",
  ),
  jumpRolePermissionsPolicy: policyDocument
    .nullable()
    .describe("The jump role's permissions policy (operator); null when the service runs without a jump role."),
  serviceIdentityPolicy: policyDocument.describe(
    "The service identity's permissions policy (operator): it may assume the jump role, or the customer roles without one.",
  ),
});

export const liveness = z.object({ status: z.literal('ok') });

export const readiness = z.object({
  status: z
    .enum(['ok', 'error', 'shutting_down'])
    .describe(
      "@nestjs/terminus's status: `ok` (200) once configured and listening; `error` (503) while starting or draining, with the state in `error.readiness.state`; `shutting_down` (503) at the end of a drain.",
    ),
  sharedCache: z
    .enum(['off', 'up', 'degraded', 'down'])
    .describe(
      'The shared cache (Redis): `off` without one, `up` while its calls succeed, `degraded` while Redis answers but its calls fail, `down` while unreachable. Only `up` means replicas share; every state keeps the replica ready (the in-process cache serves).',
    ),
});

export const roleHealth = z.object({
  status: z
    .enum(['ok', 'degraded', 'unconfigured', 'pending'])
    .describe('200 when every configured role is ok (or still pending) or none is configured; 503 when any fails.'),
  roles: z.array(
    z.object({
      name: z.string().describe("`jump-role` for the jump role, else the probe's name from `ECR_AUTH_HEALTH_PROBES`."),
      roleArn: z.string(),
      ok: z.boolean().nullable().describe('null until the first check ends.'),
      checkedAt: timestamp().nullable(),
      expiresAt: timestamp().nullable().describe('When the credentials of the last successful check expire.'),
      error: z
        .object({ code: z.enum(ERROR_CODES), message: z.string() })
        .nullable()
        .optional(),
    }),
  ),
});
