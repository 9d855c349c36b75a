import { apiTokenCaller } from '../auth/caller';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { MintIdentity } from '../mint/mint.types';
import { parseRegistryHost } from '../registry/registry-host';
import { IdentityMemo } from './identity.memo';

const identity = (registry: string): MintIdentity => ({
  host: parseRegistryHost(registry),
  key: { kind: 'static', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
});
const body = { registry: '111111111111.dkr.ecr.eu-west-1.amazonaws.com', externalId: 'ext-1' };
const alice = apiTokenCaller({ token: 'a'.repeat(32), fingerprint: 'aaaaaaaaaaaa' });

describe('IdentityMemo', () => {
  it('judges a body once per caller and answers the same identity after', () => {
    const memo = new IdentityMemo(8);
    let judged = 0;
    const judge = () => (judged++, identity(body.registry));
    const first = memo.identify(body, alice, judge);
    expect(memo.identify({ ...body }, alice, judge)).toBe(first);
    expect(judged).toBe(1);
  });

  it('judges again for another body, another caller, or the same id with other accounts', () => {
    const memo = new IdentityMemo(8);
    let judged = 0;
    const judge = () => (judged++, identity(body.registry));
    memo.identify(body, alice, judge);
    memo.identify({ ...body, externalId: 'ext-2' }, alice, judge);
    memo.identify(body, undefined, judge);
    // A reload builds a new caller object for the same token: its accounts may differ.
    memo.identify(body, apiTokenCaller({ token: 'a'.repeat(32), fingerprint: 'aaaaaaaaaaaa' }), judge);
    expect(judged).toBe(4);
  });

  it('keeps no refusal: a refused body is judged afresh every time', () => {
    const memo = new IdentityMemo(8);
    let judged = 0;
    const refuse = (): MintIdentity => {
      judged++;
      throw new EcrAuthError('INVALID_REQUEST', 'no');
    };
    expect(() => memo.identify(body, alice, refuse)).toThrow(EcrAuthError);
    expect(() => memo.identify(body, alice, refuse)).toThrow(EcrAuthError);
    expect(judged).toBe(2);
  });
});

describe('IdentityMemo, bodies it cannot key', () => {
  it('leaves a body nested past the stack to the judge, whose refusal stands', () => {
    let deep: unknown = {};
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const refuse = (): MintIdentity => {
      throw new EcrAuthError('INVALID_REQUEST', 'nested too deeply');
    };
    expect(() => new IdentityMemo(8).identify(deep, undefined, refuse)).toThrow(EcrAuthError);
  });
});
