import fc from 'fast-check';
import { apiTokenCaller } from '../auth/caller';
import { parseApiTokens } from '../config/api-tokens';
import { isValidSourceIdentity, sourceIdentityOf } from './source-identity';

describe('sourceIdentityOf', () => {
  it.each([
    ['a token name', 'ci-nightly', 'ci-nightly'],
    ['a fingerprint', '0123456789ab', '0123456789ab'],
    ['an e-mail-like name', 'build@acme.example', 'build@acme.example'],
    ['a GitHub Actions sub', 'repo:acme/app:ref:refs/heads/main', 'repo-acme-app-ref-refs-heads-main'],
    ['a Kubernetes service account', 'system:serviceaccount:ci:builder', 'system-serviceaccount-ci-builder'],
    ['an aws: prefix (the colon goes)', 'aws:federated', 'aws-federated'],
    ['a one-character name, padded', 'x', 'x-'],
    ['an empty name, padded', '', '--'],
    ['spaces and non-ASCII', 'Jörg Müller', 'J-rg-M-ller'],
    ['exactly 64 characters', 'a'.repeat(64), 'a'.repeat(64)],
  ])('maps %s', (_why, name, expected) => {
    expect(sourceIdentityOf(name)).toBe(expected);
  });

  it('shortens a long name to 64 characters, ending in a hash of the whole name', () => {
    const a = sourceIdentityOf(`repo:acme/${'x'.repeat(80)}:ref:refs/heads/main`);
    const b = sourceIdentityOf(`repo:acme/${'x'.repeat(80)}:ref:refs/heads/dev`);
    expect(a).toHaveLength(64);
    expect(a).toMatch(/^repo-acme-x+\.[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('is always a value STS accepts, whatever the name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (name) => {
        expect(isValidSourceIdentity(sourceIdentityOf(name))).toBe(true);
      }),
    );
  });
});

describe('an API token caller', () => {
  it('is named by the token name when the entry has one, else by the fingerprint', () => {
    const [named, unnamed] = parseApiTokens('ci-nightly tok-aaaaaaaaaaaaaaaa,tok-bbbbbbbbbbbbbbbb').tokens;
    expect(apiTokenCaller(named).name).toBe('ci-nightly');
    expect(apiTokenCaller(unnamed).name).toBe(unnamed.fingerprint);
    expect(apiTokenCaller(named).id).toBe(`token:${named.fingerprint}`);
  });
});
