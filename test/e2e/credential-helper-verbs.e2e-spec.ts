import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORLD } from '../fixtures/aws-world';
import { itWith, SKOPEO } from '../fixtures/outside-tools';
import { run } from './child-process';
import { credentialHelperWorld, helper, HELPER, REGISTRY, VERSION } from './credential-helper-world';

/** The built helper against the real service (over HTTP, against the AWS emulator). */
describe('docker-credential-ecr-auth (built) against the service', () => {
  const world = credentialHelperWorld();
  const { env } = world;
  let tmp: string;
  beforeAll(() => {
    ({ tmp } = world);
  });

  it('list: the exact hosts of the config file', async () => {
    const r = await helper('list', undefined, env());
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({ [REGISTRY]: 'AWS', [WORLD.noEcrCustomer.registry]: 'AWS' });
  });

  it.each([
    ['store', JSON.stringify({ ServerURL: REGISTRY, Username: 'AWS', Secret: 'stored-secret-value' })],
    ['erase', REGISTRY],
  ])('%s: not implemented', async (verb, input) => {
    const r = await helper(verb, input, env());
    expect(r).toEqual({ code: 1, stdout: 'not implemented\n', stderr: '' });
  });

  it('version: the package version', async () => {
    expect(await helper('version', undefined, env())).toEqual({
      code: 0,
      stdout: `docker-credential-ecr-auth ${VERSION}\n`,
      stderr: '',
    });
  });

  itWith(SKOPEO)('skopeo resolves the login through credHelpers', async () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    const wrapper = join(bin, 'docker-credential-ecr-auth');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HELPER)} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const authFile = join(tmp, 'auth.json');
    writeFileSync(authFile, JSON.stringify({ credHelpers: { [REGISTRY]: 'ecr-auth' } }));
    const r = await run(
      'skopeo',
      ['login', '--get-login', REGISTRY],
      undefined,
      env({ PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, REGISTRY_AUTH_FILE: authFile }),
    );
    expect(r).toMatchObject({ code: 0, stdout: 'AWS\n' });
  });
});
