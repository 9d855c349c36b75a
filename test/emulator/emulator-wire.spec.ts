import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { randomBytes } from 'node:crypto';
import { AwsEmulator } from './aws-emulator';
import { escapeUri } from './sigv4.verify';
import { NodeSha256, rawPost, SERVICE_USER, standardWorld } from './sdk-clients.fixture';

/** Signs a request with the SDK's own signer, then sends it raw (possibly tampered). */
async function signedPost(
  emu: AwsEmulator,
  o: {
    service: string;
    region?: string;
    headers?: Record<string, string>;
    body: string;
    query?: Record<string, string>;
    tamper?: (body: string) => string;
  },
) {
  const url = new URL(emu.url);
  const signer = new SignatureV4({
    service: o.service,
    region: o.region ?? 'us-east-1',
    credentials: SERVICE_USER,
    sha256: NodeSha256,
  });
  const headers = { host: url.host, ...o.headers };
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: o.query ?? {},
    headers,
    body: o.body,
  });
  const qs = Object.entries(o.query ?? {})
    .map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`)
    .join('&');
  const { host: _host, ...sent } = signed.headers as Record<string, string>;
  return rawPost(emu, sent, o.tamper ? o.tamper(o.body) : o.body, qs ? `/?${qs}` : '/');
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const ecrHeaders = (target: string) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${target}`,
});

describe('AwsEmulator: wire robustness', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await AwsEmulator.start();
    standardWorld(emu);
  });
  afterAll(() => emu.close());

  it('answers unsigned STS calls with MissingAuthenticationToken XML', async () => {
    const r = await rawPost(emu, FORM, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('text/xml');
    expect(r.body).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('answers unsigned ECR calls with JSON MissingAuthenticationTokenException', async () => {
    const r = await rawPost(emu, ecrHeaders('GetAuthorizationToken'), '{}');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('answers a malformed Authorization header with IncompleteSignature', async () => {
    const r = await rawPost(
      emu,
      { ...FORM, authorization: 'AWS4-HMAC-SHA256 Credential=garbage' },
      'Action=GetCallerIdentity',
    );
    expect(r.status).toBe(400);
    expect(r.body).toContain('<Code>IncompleteSignature</Code>');
  });

  it('survives binary garbage and keeps serving', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await rawPost(
        emu,
        {
          'x-amz-target': i % 2 ? 'SpencerFrontendService.X' : '',
          authorization: `AWS4-HMAC-SHA256 Credential=${randomBytes(30).toString('base64')}/,=,, SignedHeaders=;;;, Signature=${'z'.repeat(i * 20)}`,
        },
        randomBytes(300),
      );
      expect([400, 403]).toContain(r.status);
    }
    const big = await rawPost(emu, FORM, Buffer.alloc(1024 * 1024 + 10, 'a'));
    expect(big.status).toBe(413);
    const ok = await signedPost(emu, {
      service: 'sts',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(ok.status).toBe(200);
  });

  it('verifies signatures over query strings with characters that need escaping', async () => {
    const r = await signedPost(emu, {
      service: 'sts',
      headers: FORM,
      body: '',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15', 'X-Extra': "a b*~!'()/+=&é" },
    });
    expect(r.status).toBe(200);
    expect(r.body).toContain(`<Arn>${SERVICE_USER.arn}</Arn>`);
  });

  it('refuses a body changed after signing, and a scope for another service', async () => {
    const tampered = await signedPost(emu, {
      service: 'sts',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      tamper: (b) => `${b}&x=1`,
    });
    expect([tampered.status, tampered.body.includes('<Code>SignatureDoesNotMatch</Code>')]).toEqual([403, true]);
    const wrongService = await signedPost(emu, {
      service: 's3',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(wrongService.body).toContain("Credential should be scoped to correct service: 'sts'.");
  });

  it('answers unknown actions: STS InvalidAction, ECR UnknownOperationException, bad JSON SerializationException', async () => {
    emu.clearCalls();
    const sts = await signedPost(emu, {
      service: 'sts',
      headers: FORM,
      body: 'Action=DeleteEverything&Version=2011-06-15',
    });
    expect([sts.status, sts.body.includes('<Code>InvalidAction</Code>')]).toEqual([400, true]);
    const ecr = await signedPost(emu, { service: 'ecr', headers: ecrHeaders('DeleteEverything'), body: '{}' });
    expect([ecr.status, JSON.parse(ecr.body).__type]).toEqual([400, 'UnknownOperationException']);
    const json = await signedPost(emu, { service: 'ecr', headers: ecrHeaders('GetAuthorizationToken'), body: '[1,' });
    expect([json.status, JSON.parse(json.body).__type]).toEqual([400, 'SerializationException']);
    expect(emu.callsOf('ecr').map((c) => c.action)).toEqual(['DeleteEverything', 'GetAuthorizationToken']);
  });

  it('answers private ECR with one entry per registry id, and refuses aws keys signed for aws-cn', async () => {
    const r = await signedPost(emu, {
      service: 'ecr',
      region: 'cn-north-1',
      headers: ecrHeaders('GetAuthorizationToken'),
      body: '{"registryIds":["444444444444"]}',
    });
    // aws-partition credentials are not valid in aws-cn
    expect([r.status, JSON.parse(r.body).__type]).toEqual([400, 'UnrecognizedClientException']);
    const ok = await signedPost(emu, {
      service: 'ecr',
      region: 'eu-west-1',
      headers: ecrHeaders('GetAuthorizationToken'),
      body: '{"registryIds":["444444444444","555555555555"]}',
    });
    const data = JSON.parse(ok.body).authorizationData as Array<{ proxyEndpoint: string }>;
    expect(data.map((d) => d.proxyEndpoint)).toEqual([
      'https://444444444444.dkr.ecr.eu-west-1.amazonaws.com',
      'https://555555555555.dkr.ecr.eu-west-1.amazonaws.com',
    ]);
    expect(emu.callsOf('ecr').at(-1)!.params).toEqual({ registryIds: '["444444444444","555555555555"]' });
  });

  it('keeps at most historyLimit call records', async () => {
    const small = await AwsEmulator.start({ historyLimit: 2 });
    try {
      for (let i = 0; i < 4; i++) await rawPost(small, FORM, `Action=GetCallerIdentity&n=${i}`);
      expect(small.calls.map((c) => c.params['n'])).toEqual(['2', '3']);
    } finally {
      await small.close();
    }
  });

  it('serves SDK clients configured only through AWS_ENDPOINT_URL_* variables', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, emu.endpointEnv());
    const client = new STSClient({ region: 'eu-west-1', credentials: SERVICE_USER, maxAttempts: 1 });
    try {
      await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toHaveProperty('Arn', SERVICE_USER.arn);
      expect(emu.calls.at(-1)).toMatchObject({ service: 'sts', region: 'eu-west-1', status: 200 });
    } finally {
      client.destroy();
      for (const k of Object.keys(emu.endpointEnv())) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('prints nothing while issuing secrets', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m));
    const out = jest.spyOn(process.stdout, 'write');
    try {
      await signedPost(emu, {
        service: 'sts',
        headers: FORM,
        body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent('arn:aws:iam::111111111111:role/ecr-auth-jump')}&RoleSessionName=quiet`,
      });
      await rawPost(emu, FORM, randomBytes(64));
      for (const s of [...spies, out]) expect(s).not.toHaveBeenCalled();
    } finally {
      for (const s of [...spies, out]) s.mockRestore();
    }
  });
});
