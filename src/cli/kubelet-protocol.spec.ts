import {
  cacheDurationOf,
  credentialProviderResponse,
  goDuration,
  MalformedRequestError,
  parseCredentialProviderRequest,
} from './kubelet-protocol';

const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';
const IMAGE = '222222222222.dkr.ecr.eu-west-1.amazonaws.com/app:1';
const req = (fields: Record<string, unknown>) =>
  JSON.stringify({ kind: 'CredentialProviderRequest', apiVersion: V1, image: IMAGE, ...fields });
const H = 3600;

describe('parseCredentialProviderRequest', () => {
  it.each([
    ['v1', req({}), { apiVersion: V1, image: IMAGE, serviceAccountToken: undefined, serviceAccountAnnotations: {} }],
    ['v1beta1', req({ apiVersion: V1BETA1 }), { apiVersion: V1BETA1, image: IMAGE }],
    ['unknown fields are ignored', req({ future: { x: 1 }, auth: 'y' }), { apiVersion: V1, image: IMAGE }],
    [
      'a token and annotations',
      req({ serviceAccountToken: 'a.b.c', serviceAccountAnnotations: { 'ecr-auth/role-arn': 'r' } }),
      { serviceAccountToken: 'a.b.c', serviceAccountAnnotations: { 'ecr-auth/role-arn': 'r' } },
    ],
    ['an empty token is none', req({ serviceAccountToken: '' }), { serviceAccountToken: undefined }],
    ['null token and annotations are none', req({ serviceAccountToken: null, serviceAccountAnnotations: null }), {}],
  ])('reads %s', (_why, text, expected) => {
    expect(parseCredentialProviderRequest(text)).toMatchObject(expected);
  });

  it.each([
    ['not JSON', '{"kind": "CredentialProviderRequest", "serviceAccountToken": "sekrit.tok', /^stdin is not JSON/],
    ['an array', '[]', /^stdin is not a JSON object/],
    [
      'another kind',
      req({ kind: 'ExecCredential' }),
      /^expected kind CredentialProviderRequest, got "ExecCredential"$/,
    ],
    ['no kind', JSON.stringify({ apiVersion: V1, image: IMAGE }), /got none$/],
    ['a kind of another type', req({ kind: 7 }), /got a number$/],
    [
      'an unknown apiVersion',
      req({ apiVersion: 'credentialprovider.kubelet.k8s.io/v1alpha1' }),
      /unsupported apiVersion "credentialprovider\.kubelet\.k8s\.io\/v1alpha1" \(expected .*\/v1 or .*\/v1beta1\)/,
    ],
    [
      'an apiVersion that is not a plain word, not quoted',
      req({ apiVersion: 'sekrit value!' }),
      /unsupported apiVersion another string/,
    ],
    ['no image', req({ image: undefined }), /^the request names no image$/],
    ['an empty image', req({ image: '' }), /names no image/],
    ['a token that is not a string', req({ serviceAccountToken: 5 }), /serviceAccountToken must be a string/],
    ['a token with a space', req({ serviceAccountToken: 'sekrit tok' }), /^serviceAccountToken is not a token/],
    ['an over-long token', req({ serviceAccountToken: 'a'.repeat(16 * 1024 + 1) }), /is not a token/],
    ['annotations as an array', req({ serviceAccountAnnotations: [] }), /object of strings/],
    ['an annotation that is not a string', req({ serviceAccountAnnotations: { k: 1 } }), /object of strings/],
  ])('refuses %s', (_why, text, expected) => {
    let error: unknown;
    try {
      parseCredentialProviderRequest(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedRequestError);
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).not.toContain('sekrit');
  });
});

describe('credentialProviderResponse', () => {
  it('answers in the given apiVersion, keyed by registry', () => {
    expect(JSON.parse(credentialProviderResponse(V1BETA1, '1m0s', { h: { username: 'AWS', password: 'p' } }))).toEqual({
      kind: 'CredentialProviderResponse',
      apiVersion: V1BETA1,
      cacheKeyType: 'Registry',
      cacheDuration: '1m0s',
      auth: { h: { username: 'AWS', password: 'p' } },
    });
  });
});

describe('cacheDurationOf', () => {
  const NOW = Date.parse('2026-11-25T12:00:00Z');
  it.each([
    ['a fresh 12-hour token: 5 % (36 min) kept back', 12 * H, '11h24m0s'],
    ['one hour: 5 % is 3 min', H, '57m0s'],
    ['20 min: 60 s is more than 5 %', 20 * 60, '19m0s'],
    ['90 s', 90, '30s'],
    ['exactly the margin', 60, '0s'],
    ['less than the margin: never negative', 30, '0s'],
    ['expired', -10, '0s'],
  ])('%s', (_why, leftSeconds, expected) => {
    expect(cacheDurationOf(NOW + leftSeconds * 1000, NOW)).toBe(expected);
  });

  it('rounds down to whole seconds: never past the expiry less the margin', () => {
    expect(cacheDurationOf(NOW + 60_000 + 1_999, NOW)).toBe('1s');
  });
});

describe('goDuration', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [60, '1m0s'],
    [3600, '1h0m0s'],
    [3661, '1h1m1s'],
    [42840, '11h54m0s'],
    [100 * 3600, '100h0m0s'],
  ])('%s s is %s, as Go writes it', (seconds, expected) => {
    expect(goDuration(seconds)).toBe(expected);
  });
});
