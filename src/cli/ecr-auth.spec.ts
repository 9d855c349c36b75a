import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { renderOnboardingDocuments } from '../policies/onboarding-bundle';
import { run } from './ecr-auth';

const JUMP = 'arn:aws:iam::111111111111:role/ecr-auth-jump';
const SERVICE = 'arn:aws:iam::111111111111:role/ecr-auth-task';

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('ecr-auth policies', () => {
  it('prints the documents of GET /onboarding/policies for the same inputs', () => {
    const out = cli(
      'policies',
      '--external-id',
      'ext-1234',
      '--access',
      'push',
      '--jump-role-arn',
      JUMP,
      '--repository-arn',
      'arn:aws:ecr:eu-west-1:222222222222:repository/app',
    );
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toBe(
      renderOnboardingDocuments({
        externalId: 'ext-1234',
        access: 'push',
        kind: 'private',
        repositoryArns: ['arn:aws:ecr:eu-west-1:222222222222:repository/app'],
        partition: 'aws',
        jumpRoleArn: JUMP,
      }),
    );
  });

  it('defaults to pull, private, the partition of the trusted principal', () => {
    const docs = JSON.parse(
      cli('policies', '--external-id', 'ext-1234', '--jump-role-arn', 'arn:aws-cn:iam::111111111111:role/j').stdout,
    );
    expect(docs.customerPermissionsPolicy.Statement[1].Resource).toBe('arn:aws-cn:ecr:*:*:repository/*');
    expect(JSON.stringify(docs)).not.toContain('ecr:PutImage');
  });

  it('one hop: customers trust the given service identity', () => {
    const docs = JSON.parse(cli('policies', '--external-id', 'ext-1234', '--service-identity-arn', SERVICE).stdout);
    expect(docs.customerTrustPolicy.Statement[0].Principal).toEqual({ AWS: SERVICE });
    expect(docs.jumpRolePermissionsPolicy).toBeNull();
  });

  it.each([
    [
      ['--source-identity', 'caller', '--session-tag-keys', 'pipeline, team'],
      { sourceIdentity: true, sessionTags: true },
    ],
    [['--source-identity', 'caller'], { sourceIdentity: true, sessionTags: false }],
    [['--session-tag-keys', 'pipeline'], { sourceIdentity: false, sessionTags: true }],
    [['--source-identity', 'off', '--session-tag-keys', ' , '], { sourceIdentity: false, sessionTags: false }],
  ])('%j: the documents of a service with those features', (flags, features) => {
    for (const principal of [{ jumpRoleArn: JUMP }, { serviceIdentityArn: SERVICE }]) {
      const [flag, arn] = principal.jumpRoleArn ? ['--jump-role-arn', JUMP] : ['--service-identity-arn', SERVICE];
      const out = cli('policies', '--external-id', 'ext-1234', flag, arn, ...flags);
      expect(out).toMatchObject({ code: 0, stderr: '' });
      expect(out.stdout).toBe(
        renderOnboardingDocuments({
          externalId: 'ext-1234',
          access: 'pull',
          kind: 'private',
          repositoryArns: [],
          partition: 'aws',
          features,
          ...principal,
        }),
      );
    }
  });

  it('with both features: the trust policy grants them in a statement apart from the external ID', () => {
    const docs = JSON.parse(
      cli(
        'policies',
        '--external-id',
        'ext-1234',
        '--jump-role-arn',
        JUMP,
        '--source-identity',
        'caller',
        '--session-tag-keys',
        'pipeline',
      ).stdout,
    );
    expect(docs.customerTrustPolicy.Statement[1]).toEqual({
      Sid: 'EcrAuthSessionContext',
      Effect: 'Allow',
      Principal: { AWS: JUMP },
      Action: ['sts:SetSourceIdentity', 'sts:TagSession'],
    });
    expect(docs.jumpRolePermissionsPolicy.Statement[0].Action).toEqual([
      'sts:AssumeRole',
      'sts:SetSourceIdentity',
      'sts:TagSession',
    ]);
  });

  it.each([
    ['no external ID', ['policies', '--jump-role-arn', JUMP], /--external-id is required/],
    [
      'an unknown access',
      ['policies', '--external-id', 'ext-1234', '--jump-role-arn', JUMP, '--access', 'admin'],
      /--access must be one of pull, push/,
    ],
    ['an unknown flag', ['policies', '--external-id', 'ext-1234', '--bogus'], /Unknown option/],
    ['no principal', ['policies', '--external-id', 'ext-1234'], /INVALID_REQUEST: .*--service-identity-arn/],
    [
      'an external ID outside STS rules',
      ['policies', '--external-id', 'bad id', '--jump-role-arn', JUMP],
      /INVALID_REGISTRY_KEY: --external-id \(the external ID\)/,
    ],
    [
      'an unknown partition',
      ['policies', '--external-id', 'ext-1234', '--jump-role-arn', JUMP, '--partition', 'mars'],
      /--partition/,
    ],
    [
      'an unknown --source-identity',
      ['policies', '--external-id', 'ext-1234', '--jump-role-arn', JUMP, '--source-identity', 'on'],
      /--source-identity must be one of off, caller/,
    ],
    [
      'a tag key STS would refuse',
      ['policies', '--external-id', 'ext-1234', '--jump-role-arn', JUMP, '--session-tag-keys', 'team,aws:x'],
      /--session-tag-keys each comma-separated key must be/,
    ],
    [
      'a tag key twice',
      ['policies', '--external-id', 'ext-1234', '--jump-role-arn', JUMP, '--session-tag-keys', 'team,Team'],
      /--session-tag-keys lists a key twice/,
    ],
    ['an unknown command', ['polices'], /unknown command/],
    ['no command', [], /a command is needed/],
  ])('refuses %s with exit 2 and nothing on stdout', (_why, argv, message) => {
    const out = cli(...argv);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(message);
  });

  it('never echoes a refused external ID', () => {
    expect(cli('policies', '--external-id', 'SECRET ID', '--jump-role-arn', JUMP).stderr).not.toContain('SECRET');
  });
});

describe('ecr-auth jump-role-trust-policy', () => {
  it('trusts the service identity with the jump external ID', () => {
    const out = cli('jump-role-trust-policy', '--service-identity-arn', SERVICE, '--jump-external-id', 'jump-ext-1');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).Statement[0]).toMatchObject({
      Principal: { AWS: SERVICE },
      Condition: { StringEquals: { 'sts:ExternalId': 'jump-ext-1' } },
    });
  });

  it('refuses a missing identity', () => {
    expect(cli('jump-role-trust-policy').code).toBe(2);
  });
});

describe('ecr-auth', () => {
  it('prints help and the version', () => {
    expect(cli('help').stdout).toContain('ecr-auth policies');
    expect(cli('version').stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('loads no framework: its imports reach neither Nest nor the AWS SDK', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^import [^;]*? from '([^']+)';/gms)) {
        expect(spec).not.toMatch(/^@nestjs|^@aws-sdk|^zod$/);
        if (spec.startsWith('.')) visit(resolve(dirname(file), `${spec}.ts`));
      }
    };
    visit(join(__dirname, 'ecr-auth.ts'));
    expect(seen.size).toBeGreaterThan(5);
  });
});
