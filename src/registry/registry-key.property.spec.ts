import fc from 'fast-check';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { ACCESS_KEY_ID, EXTERNAL_ID, ROLE_ARN, SECRET_ACCESS_KEY } from '../../test/fixtures/registry-keys';
import { PARTITIONS } from './partition';
import { RegistryKey, RegistryKeyInput, checkExternalId, classifyRegistryKey } from './registry-key';
import { parseRoleArn } from './role-arn';

const RUN = { seed: 20251125, numRuns: 300 };

/** Classifies, or returns the refusal; anything but INVALID_REGISTRY_KEY fails the property. */
function attempt(input: unknown): RegistryKey | EcrAuthError {
  try {
    return classifyRegistryKey(input as RegistryKeyInput);
  } catch (e) {
    if (e instanceof EcrAuthError && e.code === 'INVALID_REGISTRY_KEY') return e;
    throw e;
  }
}

// Secrets carry a marker no message text contains, so "not echoed" is checked exactly.
const MARKER = 'QZX';
const marked = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${MARKER}${s}`);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const accountId = fc.stringMatching(/^\d{12}$/);
const pathArb = fc
  .array(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,10}$/), { maxLength: 3 })
  .map((s) => (s.length ? `/${s.join('/')}/` : '/'));
const roleName = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);
const roleArn = fc
  .tuple(fc.constantFrom(...PARTITIONS), accountId, pathArb, roleName)
  .map(([partition, account, path, name]) => ({
    arn: `arn:${partition}:iam::${account}:role${path}${name}`,
    partition,
    account,
    path,
    name,
  }));
const accessKeyId = fc
  .tuple(fc.constantFrom('AKIA', 'ASIA'), fc.stringMatching(/^[A-Z0-9]{16}$/))
  .map(([p, s]) => p + s);
const secret = fc.stringMatching(/^[A-Za-z0-9/+]{16,128}$/);
const externalId = fc.stringMatching(/^[\w+=,.@:/-]{2,64}$/);

describe('parseRoleArn properties', () => {
  it('parses any well-formed role ARN in any partition to its parts', () => {
    fc.assert(
      fc.property(roleArn, (r) => {
        expect(parseRoleArn(r.arn)).toStrictEqual(r);
      }),
      RUN,
    );
  });

  it('refuses a role ARN with whitespace, a control character or a wildcard inserted', () => {
    const bad = fc.constantFrom(' ', '\t', '\n', '\r', '\u0000', '\u00a0', '*', '?');
    const input = fc.tuple(roleArn, bad, fc.nat()).map(([r, c, at]) => {
      const i = at % (r.arn.length + 1);
      return r.arn.slice(0, i) + c + r.arn.slice(i);
    });
    fc.assert(
      fc.property(input, (s) => parseRoleArn(s) === undefined),
      RUN,
    );
  });

  it('never throws, whatever the string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (s) => {
        parseRoleArn(s);
      }),
      RUN,
    );
  });
});

describe('classifyRegistryKey properties', () => {
  it('only ever throws EcrAuthError(INVALID_REGISTRY_KEY), whatever the input', () => {
    const field = fc.oneof(fc.string(), fc.anything(), fc.constantFrom(ROLE_ARN, ACCESS_KEY_ID, SECRET_ACCESS_KEY, ''));
    const record = fc.record(
      {
        roleArn: field,
        externalId: field,
        accessKeyId: field,
        secretAccessKey: field,
        sessionToken: field,
        userName: field,
        password: field,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(record, fc.object(), fc.anything()), (input) => {
        attempt(input);
      }),
      RUN,
    );
  });

  it('never puts a secret, session token, password or external ID in a message', () => {
    const identity = fc.oneof(fc.constantFrom(ROLE_ARN, ACCESS_KEY_ID, 'arn:aws:iam::1:role/x', 'AKIA'), marked);
    const input = fc.record(
      {
        roleArn: maybe(identity),
        accessKeyId: maybe(identity),
        userName: maybe(identity),
        externalId: maybe(marked),
        secretAccessKey: maybe(marked),
        sessionToken: maybe(marked),
        password: maybe(marked),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(input, (i) => {
        const r = attempt(i);
        if (r instanceof EcrAuthError) expect(r.message).not.toContain(MARKER);
      }),
      RUN,
    );
  });

  it('lets a well-formed roleArn win over every other field', () => {
    const others = fc.record(
      {
        accessKeyId: maybe(fc.string()),
        secretAccessKey: maybe(fc.string()),
        sessionToken: maybe(fc.string()),
        userName: maybe(fc.string()),
        password: maybe(fc.string()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(roleArn, maybe(externalId), others, (r, ext, rest) => {
        const key = classifyRegistryKey({ ...rest, roleArn: r.arn, externalId: ext });
        expect(key).toStrictEqual(
          ext === undefined ? { kind: 'role', role: r } : { kind: 'role', role: r, externalId: ext },
        );
      }),
      RUN,
    );
  });

  it('reads userName as a role ARN or an access key id, consistently with the explicit fields', () => {
    const pair = fc.oneof(
      fc.tuple(
        roleArn.map((r) => r.arn),
        fc.oneof(externalId, fc.constant('')),
      ),
      fc.tuple(accessKeyId, secret),
    );
    fc.assert(
      fc.property(pair, ([userName, password]) => {
        const viaUserName = classifyRegistryKey({ userName, password });
        const explicit = userName.startsWith('arn:')
          ? classifyRegistryKey({ roleArn: userName, externalId: password })
          : classifyRegistryKey({ accessKeyId: userName, secretAccessKey: password });
        expect(viaUserName).toStrictEqual(explicit);
      }),
      RUN,
    );
  });

  it('accepts any access key id with any well-formed secret and optional session token', () => {
    const token = maybe(fc.stringMatching(/^[\x20-\x7e]{16,200}$/));
    fc.assert(
      fc.property(accessKeyId, secret, token, (id, s, t) => {
        expect(classifyRegistryKey({ accessKeyId: id, secretAccessKey: s, sessionToken: t })).toStrictEqual(
          t === undefined
            ? { kind: 'static', accessKeyId: id, secretAccessKey: s }
            : { kind: 'static', accessKeyId: id, secretAccessKey: s, sessionToken: t },
        );
      }),
      RUN,
    );
  });
});

describe('checkExternalId properties', () => {
  it('accepts every string of 2 to 1224 allowed characters', () => {
    const ok = fc.stringMatching(/^[\w+=,.@:/-]{2,1224}$/);
    fc.assert(
      fc.property(ok, (id) => {
        checkExternalId(id);
      }),
      { ...RUN, numRuns: 100 },
    );
  });

  it('refuses any string with a character outside STS rules, without echoing it', () => {
    const outside = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !/^[\w+=,.@:/-]$/.test(c));
    const input = fc.tuple(fc.constant(EXTERNAL_ID), outside, fc.nat()).map(([id, c, at]) => {
      const i = at % (id.length + 1);
      return `${MARKER}${id.slice(0, i)}${c}${id.slice(i)}`;
    });
    fc.assert(
      fc.property(input, (id) => {
        expect(() => checkExternalId(id)).toThrow(EcrAuthError);
        try {
          checkExternalId(id);
        } catch (e) {
          expect((e as Error).message).not.toContain(MARKER);
        }
      }),
      RUN,
    );
  });
});
