import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/**
 * `npm run -s demo:jwt -- --sub <subject>`: a local OIDC issuer in one command, for trying
 * workload identity against the emulator (docs/emulator.md). The first run makes an ES256 key
 * in DEMO_OIDC_DIR (.demo/oidc): `key.json` (private, mode 600) and `jwks.json` (the public
 * key set, for the provider's `jwksFile`). Each run prints one signed JWT on stdout and
 * nothing else, so `TOKEN=$(npm run -s demo:jwt -- --sub …)` works.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string', default: 'repo:acme/app:ref:refs/heads/main' },
      iss: { type: 'string', default: 'https://issuer.demo' },
      aud: { type: 'string', default: 'ecr-auth' },
      ttl: { type: 'string', default: '600' },
      claim: { type: 'string', multiple: true, default: [] },
    },
  });
  const dir = resolve(process.env.DEMO_OIDC_DIR || join('.demo', 'oidc'));
  const privateJwk = await signingKey(dir);
  const now = Math.floor(Date.now() / 1000);
  const extra = Object.fromEntries(
    (values.claim ?? []).map((c) => {
      const eq = c.indexOf('=');
      if (eq < 1) throw new Error(`--claim wants name=value, not ${JSON.stringify(c)}`);
      return [c.slice(0, eq), c.slice(eq + 1)];
    }),
  );
  const jwt = await new SignJWT(extra)
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid, typ: 'JWT' })
    .setIssuer(values.iss)
    .setAudience(values.aud)
    .setSubject(values.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + Number(values.ttl))
    .sign(await importJWK(privateJwk, 'ES256'));
  process.stdout.write(jwt + '\n');
}

/** The issuer's key: read from `dir`, or made there (with its public JWKS) on the first run. */
async function signingKey(dir: string): Promise<JWK> {
  const keyFile = join(dir, 'key.json');
  if (existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `demo-${Date.now().toString(36)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [publicJwk] }, null, 2) + '\n');
  writeFileSync(keyFile, JSON.stringify(privateJwk) + '\n', { mode: 0o600 });
  return privateJwk;
}

main().catch((e: unknown) => {
  process.stderr.write(`demo:jwt failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
