import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORLD } from '../fixtures/aws-world';
import { itIf } from '../fixtures/outside-tools';
import { run } from './child-process';
import { Harness, startHarness } from './harness';

const ROOT = join(__dirname, '..', '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};
/** What build:sea makes: every bin but the operator CLI (one it could not build is skipped, saying so). */
const STANDALONE = Object.keys(PKG.bin).filter((name) => name !== 'ecr-auth');
const REQUIRED = { required: process.env.ECR_AUTH_REQUIRE_SEA === 'true', by: 'ECR_AUTH_REQUIRE_SEA=true' };

/** The standalone executables of dist/sea (npm run build:sea), run with no Node.js on PATH. */
describe.each(STANDALONE)('dist/sea/%s', (name) => {
  const bin = join(ROOT, 'dist', 'sea', name);
  const built = existsSync(bin);
  const itBuilt = itIf(built, `${bin} is not built (npm run build:sea)`, REQUIRED);
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ecr-auth-sea-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const env = (extra: Record<string, string> = {}) => ({ PATH: '/nonexistent', HOME: tmp, ...extra });

  if (name === 'ecr-auth-kubelet-credential-provider') {
    itBuilt('an image that is not on ECR: a response with no credentials', async () => {
      const request = {
        apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
        kind: 'CredentialProviderRequest',
        image: 'docker.io/library/busybox:latest',
      };
      const r = await run(bin, [], JSON.stringify(request), env());
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'CredentialProviderResponse', auth: {} });
    });
    return;
  }
  if (name !== 'docker-credential-ecr-auth') return;

  itBuilt('version: the package version', async () => {
    expect(await run(bin, ['version'], '', env())).toEqual({
      code: 0,
      stdout: `${name} ${PKG.version}\n`,
      stderr: '',
    });
  });

  itBuilt('get: a host that is not ECR is not found (docker goes on anonymously)', async () => {
    expect(await run(bin, ['get'], 'https://index.docker.io/v1/\n', env())).toEqual({
      code: 1,
      stdout: 'credentials not found in native keychain\n',
      stderr: '',
    });
  });

  describe('against the service', () => {
    let h: Harness | undefined;
    beforeAll(async () => {
      if (built) h = await startHarness();
    });
    afterAll(() => h?.close());

    itBuilt('get: the secret the service hands out', async () => {
      const r = await run(
        bin,
        ['get'],
        `${WORLD.customer.registry}\n`,
        env({
          ECR_AUTH_URL: h!.url,
          ECR_AUTH_TOKEN: WORLD.apiToken,
          ECR_AUTH_ROLE_ARN: WORLD.customer.arn,
          ECR_AUTH_EXTERNAL_ID: WORLD.customer.externalId,
        }),
      );
      expect(r).toMatchObject({ code: 0, stderr: '', stdout: expect.stringContaining('{') });
      const answer = JSON.parse(r.stdout) as Record<string, string>;
      expect(answer).toMatchObject({ ServerURL: WORLD.customer.registry, Username: 'AWS' });
      expect(h!.emu.issuedEcrSecrets()).toContain(answer.Secret);
    });
  });
});
