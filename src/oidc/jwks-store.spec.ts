import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeIssuer } from '../../test/fixtures/oidc-issuer';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { JwksStore, JWKS_DEFAULTS, usableKeys } from './jwks-store';
import { OidcVerifier } from './oidc.service';

const T0 = Date.UTC(2026, 0, 1);
const COOLDOWN = 30_000;

let issuer: FakeIssuer;
let verifier: OidcVerifier;
let now: number;
const clock = () => now;
const failures: string[] = [];

beforeEach(async () => {
  now = T0;
  failures.length = 0;
  issuer = await FakeIssuer.start();
  await issuer.addKey('ES256', 'k1');
  verifier = new OidcVerifier([issuer.provider()], clock, {
    onFailure: (_issuer, reason) => failures.push(reason),
    fetchTimeoutMs: 500,
  });
  await verifier.start();
});
afterEach(async () => {
  verifier.close();
  await issuer.stop();
});

const accepted = async (token: string) => (await verifier.verify(token)).kind === 'jwt';
async function refused(token: string): Promise<boolean> {
  try {
    await verifier.verify(token);
    return false;
  } catch (e) {
    if (e instanceof EcrAuthError && e.code === 'UNAUTHENTICATED') return true;
    throw e;
  }
}

describe('JWKS handling', () => {
  it('fetches the key set once at start-up and verifies from memory after', async () => {
    expect(issuer.fetches).toBe(1);
    for (let i = 0; i < 5; i++) expect(await accepted(await issuer.sign(now, { sub: `repo:acme/${i}` }))).toBe(true);
    expect(issuer.fetches).toBe(1);
  });

  it('accepts a key added to the JWKS on first sight (once the cooldown since the last fetch is over)', async () => {
    now += COOLDOWN;
    const k2 = await issuer.addKey('RS256', 'k2');
    expect(await accepted(await issuer.sign(now, {}, { key: k2 }))).toBe(true);
    expect(issuer.fetches).toBe(2);
  });

  it('20 tokens with made-up kids cause at most 2 JWKS fetches, concurrent or not', async () => {
    const forger = await issuer.addKey('ES256', 'forger', false);
    const forged = (i: number) => issuer.sign(now, { sub: `repo:acme/${i}` }, { key: forger, kid: `made-up-${i}` });
    const first = await Promise.all(Array.from({ length: 10 }, async (_, i) => refused(await forged(i))));
    now += COOLDOWN;
    const second = await Promise.all(Array.from({ length: 5 }, async (_, i) => refused(await forged(10 + i))));
    for (let i = 15; i < 20; i++) second.push(await refused(await forged(i)));
    expect([...first, ...second].every(Boolean)).toBe(true);
    expect(issuer.fetches).toBeLessThanOrEqual(2);
    expect(issuer.fetches).toBe(2);
  });

  it('with the JWKS server gone, tokens under known keys still verify; unknown ones are refused', async () => {
    await issuer.stop();
    now += COOLDOWN;
    await verifier.refreshAll();
    expect(failures).toEqual(['the JWKS endpoint cannot be reached']);
    expect(await accepted(await issuer.sign(now))).toBe(true);
    const unknown = await issuer.addKey('ES256', 'k-new');
    expect(await refused(await issuer.sign(now, {}, { key: unknown }))).toBe(true);
    issuer = await FakeIssuer.start(); // for afterEach
  });

  it.each([
    ['an HTTP error', (i: FakeIssuer) => (i.mode = 'fail'), 'the JWKS endpoint answered HTTP 503'],
    ['an empty key set', (i: FakeIssuer) => i.keys.splice(0), 'the key set holds no public signing key'],
    ['no answer in time', (i: FakeIssuer) => (i.mode = 'hang'), 'no answer in time'],
  ])('a refresh that meets %s keeps the last good keys', async (_why, breakIt, reason) => {
    const token = await issuer.sign(now, { sub: 'repo:acme/kept' });
    breakIt(issuer);
    await verifier.refreshAll();
    expect(failures).toEqual([reason]);
    expect(await accepted(token)).toBe(true);
  });

  it('a refresh that drops a key makes its tokens fail at once, remembered or not', async () => {
    const k2 = await issuer.addKey('ES256', 'k2');
    await verifier.refreshAll();
    const token = await issuer.sign(now, {}, { key: k2 });
    expect(await accepted(token)).toBe(true);
    issuer.removeKey('k2');
    await verifier.refreshAll();
    expect(await refused(token)).toBe(true);
  });

  it('a token arriving before the start-up fetch finished waits for it', async () => {
    const late = new OidcVerifier([issuer.provider()], clock);
    const token = await issuer.sign(now);
    const starting = late.start();
    expect(await late.verify(token)).toMatchObject({ kind: 'jwt' });
    await starting;
    expect(issuer.fetches).toBe(2); // this test's verifier and the one of beforeEach
    late.close();
  });

  it('the periodic refresh runs on an unref()ed timer that close() clears', async () => {
    const timed = new OidcVerifier([issuer.provider()], clock, { refreshIntervalMs: 20 });
    await timed.start();
    const before = issuer.fetches;
    await issuer.nextFetch();
    timed.close();
    expect(issuer.fetches).toBeGreaterThan(before);
  });
});

describe('jwksFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ecr-auth-jwks-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is read at start-up and re-read at refresh (air-gapped clusters)', async () => {
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(issuer.jwks()));
    const provider = issuer.provider({ jwksUri: undefined, jwksFile: file }, (p) => readFileSync(p, 'utf8'));
    const fromFile = new OidcVerifier([provider], clock);
    await fromFile.start();
    expect(await fromFile.verify(await issuer.sign(now))).toMatchObject({ kind: 'jwt' });
    const k2 = await issuer.addKey('EdDSA', 'k2');
    writeFileSync(file, JSON.stringify(issuer.jwks()));
    await fromFile.refreshAll();
    expect(await fromFile.verify(await issuer.sign(now, {}, { key: k2 }))).toMatchObject({ kind: 'jwt' });
    fromFile.close();
    expect(issuer.fetches).toBe(1); // only beforeEach's verifier went to the network
  });

  it('a file gone at refresh keeps the keys', async () => {
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(issuer.jwks()));
    const reasons: string[] = [];
    const provider = issuer.provider({ jwksUri: undefined, jwksFile: file }, (p) => readFileSync(p, 'utf8'));
    const store = new JwksStore(provider, clock, { ...JWKS_DEFAULTS, onFailure: (_i, r) => reasons.push(r) });
    expect(await store.refresh()).toBe(true);
    rmSync(file);
    expect(await store.refresh()).toBe(false);
    expect(reasons).toEqual(['the key file cannot be read']);
    expect(store.loaded).toBe(true);
  });
});

describe('usableKeys', () => {
  const ec = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'a' };
  it.each([
    ['keeps public signing keys', { keys: [ec, { ...ec, use: 'sig' }] }, 2],
    ['drops symmetric keys', { keys: [ec, { kty: 'oct', k: 'c2VjcmV0' }] }, 1],
    ['drops private keys', { keys: [ec, { ...ec, d: 'private' }] }, 1],
    ['drops encryption keys', { keys: [ec, { ...ec, use: 'enc' }] }, 1],
  ])('%s', (_why, jwks, count) => {
    expect(usableKeys(jwks).keys).toHaveLength(count);
  });

  it.each([[{}], [{ keys: 'x' }], [{ keys: [{ kty: 'oct', k: 'eA' }] }], [null]])('refuses %j', (jwks) => {
    expect(() => usableKeys(jwks)).toThrow();
  });
});
