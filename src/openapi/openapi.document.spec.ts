import { ERROR_CODES } from '../errors/error-codes';
import { openApiDocument, openApiJson } from './openapi.document';

const doc = openApiDocument() as any;

describe('openApiDocument', () => {
  it('is OpenAPI 3.1 with bearer auth by default', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes every route of the contract', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health/live',
        '/health/ready',
        '/health/roles',
        '/metrics',
        '/onboarding/policies',
        '/openapi.json',
        '/registry-auth',
        '/registry-auth/cache',
        '/registry-auth/verify',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/registry-auth'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/registry-auth/cache'])).toEqual(['delete']);
  });

  it('leaves the probes open and nothing else', () => {
    const open = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) =>
      Object.values(ops)
        .filter((op: any) => op.security?.length === 0)
        .map(() => path),
    );
    expect(open.sort()).toEqual(['/health/live', '/health/ready']);
  });

  it('lists every error code with its status and meaning', () => {
    expect(doc.components.schemas.ErrorCode.oneOf.map((c: any) => c.const)).toEqual([...ERROR_CODES]);
    for (const entry of doc.components.schemas.ErrorCode.oneOf) expect(entry.description).toMatch(/^\d{3}: \S/);
  });

  it('names each error code under the status it is answered with, with Retry-After where set', () => {
    const post = doc.paths['/registry-auth'].post.responses;
    expect(post['400'].content['application/json'].schema.allOf[1].properties.code.enum).toEqual([
      'INVALID_REQUEST',
      'UNSUPPORTED_REGISTRY',
      'INVALID_REGISTRY_KEY',
      'PARTITION_MISMATCH',
      'EXTERNAL_ID_REQUIRED',
    ]);
    expect(post['403'].content['application/json'].schema.allOf[1].properties.code.enum).toContain(
      'ASSUME_ROLE_DENIED',
    );
    expect(post['503'].headers['Retry-After']).toBeDefined();
    expect(post['429'].headers['Retry-After']).toBeDefined();
    expect(post['401'].headers).toBeUndefined();
    // Refusals of the customer's role are checks of the verdict, not errors.
    expect(
      doc.paths['/registry-auth/verify'].post.responses['403'].content['application/json'].schema.allOf[1].properties
        .code.enum,
    ).toEqual(['ACCOUNT_NOT_ALLOWED', 'STS_REGION_DISABLED']);
  });

  it('takes the request schemas from the zod schemas the routes validate with', () => {
    const mint = doc.components.schemas.RegistryAuthRequest;
    expect(mint.required).toEqual(['registry']);
    expect(mint.properties.access.enum).toEqual(['pull', 'push']);
    expect(mint.properties.externalId.maxLength).toBe(1224);
    expect(doc.components.schemas.VerifyRequest.required).toEqual(['registry', 'roleArn']);
    const params = doc.paths['/onboarding/policies'].get.parameters;
    expect(params.map((p: any) => [p.name, p.required])).toEqual([
      ['externalId', true],
      ['access', false],
      ['kind', false],
      ['repositoryArn', false],
    ]);
    expect(params[3]).toMatchObject({ style: 'form', explode: true, schema: { type: 'array' } });
  });

  it('resolves every $ref', () => {
    const refs = [...openApiJson().matchAll(/"\$ref": "#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(doc.components.schemas[name]).toBeDefined();
  });

  it('is the same bytes every time', () => {
    expect(openApiJson()).toBe(openApiJson());
    expect(openApiJson().endsWith('}\n')).toBe(true);
  });
});
