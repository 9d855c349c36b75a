import { cacheEvictionBody, registryAuthBody } from '../api/request-body';
import type { ErrorCode } from '../errors/error-codes';
import { policiesQuery, verifyBody } from '../onboarding/onboarding-request';
import {
  Json,
  NO_STORE,
  errorCodeSchema,
  errorResponses,
  jsonAnswer,
  jsonBody,
  jsonSchema,
  queryParameters,
  ref,
} from './openapi.parts';
import {
  errorBody,
  evictionResult,
  liveness,
  onboardingDocuments,
  readiness,
  registryLogin,
  roleHealth,
  verifyResult,
} from './response-schemas';

/** The version of the API this document describes (not of the package). */
export const API_VERSION = '1.0.0';

// Error codes by where they can arise; a route lists the groups that apply to it.
const AUTHENTICATED: ErrorCode[] = ['UNAUTHENTICATED', 'RATE_LIMITED', 'INTERNAL'];
const BODY: ErrorCode[] = ['INVALID_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
const KEY: ErrorCode[] = [
  'UNSUPPORTED_REGISTRY',
  'INVALID_REGISTRY_KEY',
  'PARTITION_MISMATCH',
  'EXTERNAL_ID_REQUIRED',
  'ACCOUNT_NOT_ALLOWED',
];
const SERVICE_SIDE: ErrorCode[] = [
  'STS_REGION_DISABLED',
  'JUMP_ROLE_FAILED',
  'SERVICE_CREDENTIALS_INVALID',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
];
const REFUSED: ErrorCode[] = ['ASSUME_ROLE_DENIED', 'INVALID_STATIC_CREDENTIALS', 'ECR_ACCESS_DENIED'];

const DESCRIPTION = [
  'Hands out Amazon ECR registry credentials for registries in other AWS accounts, through STS AssumeRole',
  '(service identity → optional jump role → customer role with its external ID) and ECR GetAuthorizationToken.',
  '',
  'Every route but `/health/live` and `/health/ready` needs `Authorization: Bearer <API token or JWT>` (a JWT of a',
  'configured OIDC issuer: workload identity); authentication is checked before anything else. Every error is a JSON `Error` with a stable `code` (see the `ErrorCode` schema);',
  'an unknown route answers 404 `NOT_FOUND`. Bodies may carry more fields than described.',
].join('\n');

/**
 * The OpenAPI 3.1 description of the HTTP API. Request schemas come from the zod schemas the
 * routes validate with, so the description cannot drift from what is accepted.
 */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ecr-auth',
      version: API_VERSION,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    security: [{ bearerAuth: [] }],
    paths: {
      '/registry-auth': {
        post: {
          operationId: 'mintRegistryLogin',
          summary: 'A docker login for one registry',
          description:
            'The key is a role ARN (`roleArn` + `externalId`), an access key pair (`accessKeyId` + `secretAccessKey` [+ `sessionToken`]), or `userName`/`password` (a role ARN and its external ID, or an access key id and its secret); `roleArn`, then `accessKeyId`, then `userName` decides. `access` down-scopes a role session to pull or push. Served from the token cache while a token has life left.',
          requestBody: jsonBody('RegistryAuthRequest'),
          responses: {
            '200': jsonAnswer('The login.', 'RegistryLogin', NO_STORE),
            ...errorResponses([...AUTHENTICATED, ...BODY, ...KEY, ...REFUSED, ...SERVICE_SIDE]),
          },
        },
      },
      '/registry-auth/verify': {
        post: {
          operationId: 'verifyCustomerRole',
          summary: 'Onboarding check of a customer role',
          description:
            "Assumes the role with the external ID, tries it without (STS must refuse), and calls GetAuthorizationToken with its session. 200 whatever the verdict, which is in the body; what the customer's role gets wrong is a failed check, not an error. Nothing is cached and no token is returned.",
          requestBody: jsonBody('VerifyRequest'),
          responses: {
            '200': jsonAnswer('The verdict.', 'VerifyResult', NO_STORE),
            ...errorResponses([...AUTHENTICATED, ...BODY, ...KEY, ...SERVICE_SIDE]),
          },
        },
      },
      '/registry-auth/cache': {
        delete: {
          operationId: 'evictCachedTokens',
          summary: 'Evict the cached tokens and remembered refusals of a role or a registry',
          description:
            'On every replica. Eviction is not revocation: a token already handed out stays valid at ECR until it expires.',
          requestBody: jsonBody('CacheEvictionRequest'),
          responses: {
            '200': jsonAnswer('How many entries went.', 'EvictionResult', NO_STORE),
            ...errorResponses([...AUTHENTICATED, ...BODY, 'UNSUPPORTED_REGISTRY']),
          },
        },
      },
      '/onboarding/policies': {
        get: {
          operationId: 'onboardingPolicies',
          summary: 'The IAM documents a customer and the operator need',
          description:
            'Canonical JSON (stable key and statement order): the same request gives the same bytes, as does `ecr-auth policies` offline. Without a jump role, customers trust the service identity, which STS GetCallerIdentity reports once per process.',
          parameters: queryParameters(policiesQuery),
          responses: {
            '200': jsonAnswer('The documents.', 'OnboardingDocuments', NO_STORE),
            ...errorResponses([
              ...AUTHENTICATED,
              'INVALID_REQUEST',
              'INVALID_REGISTRY_KEY',
              'PARTITION_MISMATCH',
              'SERVICE_CREDENTIALS_INVALID',
              'UPSTREAM_THROTTLED',
              'UPSTREAM_UNAVAILABLE',
              'UPSTREAM_TIMEOUT',
            ]),
          },
        },
      },
      '/health/live': {
        get: {
          operationId: 'liveness',
          summary: 'Whether the process serves',
          security: [],
          responses: { '200': jsonAnswer('Always, while the process serves.', 'Liveness') },
        },
      },
      '/health/ready': {
        get: {
          operationId: 'readiness',
          summary: 'Whether the replica should receive traffic',
          security: [],
          responses: {
            '200': jsonAnswer('Configured and listening.', 'Readiness'),
            '503': jsonAnswer('Starting or draining at shutdown.', 'Readiness'),
          },
        },
      },
      '/health/roles': {
        get: {
          operationId: 'roleHealth',
          summary: 'The last validation of the jump role and the configured probes',
          parameters: [
            {
              name: 'refresh',
              in: 'query',
              required: false,
              description: 'Check again now (rate-limited: too soon, the last results are answered).',
              schema: { type: 'boolean' },
            },
          ],
          responses: {
            '200': jsonAnswer('Every role ok or pending, or none configured.', 'RoleHealth'),
            '503': jsonAnswer('A role fails.', 'RoleHealth'),
            ...errorResponses(AUTHENTICATED),
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          responses: {
            '200': {
              description: 'Prometheus text format.',
              content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } },
            },
            ...errorResponses(AUTHENTICATED),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: {
            '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } },
            ...errorResponses(AUTHENTICATED),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API token of `ECR_AUTH_API_TOKENS` / `ECR_AUTH_API_TOKENS_FILE`, or a workload-identity JWT (a Kubernetes service-account token, a CI OIDC token) of an issuer in `ECR_AUTH_OIDC_PROVIDERS`, whose claim rules decide the accounts it reaches.',
          bearerFormat: 'API token or JWT',
        },
      },
      schemas: {
        Error: errorSchema(),
        ErrorCode: errorCodeSchema(),
        RegistryAuthRequest: jsonSchema(registryAuthBody),
        RegistryLogin: jsonSchema(registryLogin),
        VerifyRequest: jsonSchema(verifyBody),
        VerifyResult: jsonSchema(verifyResult),
        CacheEvictionRequest: jsonSchema(cacheEvictionBody),
        EvictionResult: jsonSchema(evictionResult),
        OnboardingDocuments: jsonSchema(onboardingDocuments),
        Liveness: jsonSchema(liveness),
        Readiness: jsonSchema(readiness),
        RoleHealth: jsonSchema(roleHealth),
      },
    },
  };
}

function errorSchema(): Json {
  const schema = jsonSchema(errorBody) as { properties: Json };
  return { ...schema, properties: { ...schema.properties, code: ref('ErrorCode') } };
}

/** The document as served at GET /openapi.json and kept in docs/openapi.json. */
export function openApiJson(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
