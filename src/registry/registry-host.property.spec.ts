import fc from 'fast-check';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { VALID_HOSTS } from '../../test/fixtures/registry-hosts';
import { Partition } from './partition';
import { parseRegistryHost } from './registry-host';

const RUN = { seed: 20251125, numRuns: 300 };

/** Parses, or returns the refusal; anything but an EcrAuthError fails the property. */
function attempt(input: string): { ok: true } | { ok: false; error: EcrAuthError } {
  try {
    parseRegistryHost(input);
    return { ok: true };
  } catch (e) {
    if (e instanceof EcrAuthError && e.code === 'UNSUPPORTED_REGISTRY') return { ok: false, error: e };
    throw e;
  }
}

const refused = (input: string): boolean => !attempt(input).ok;

// An independent model of the forms ECR serves: suffix, partition, region shape and the
// endpoint variants that exist under it.
const DIRECTIONS = ['east', 'west', 'north', 'south', 'central', 'northeast', 'southeast', 'northwest'];
const n = fc.integer({ min: 1, max: 9 });
const dir = fc.constantFrom(...DIRECTIONS);
const REGIONS: Record<Partition, fc.Arbitrary<string>> = {
  aws: fc
    .tuple(fc.constantFrom('us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx'), dir, n)
    .map(([a, d, i]) => `${a}-${d}-${i}`),
  'aws-us-gov': fc.tuple(fc.constantFrom('west', 'east'), n).map(([d, i]) => `us-gov-${d}-${i}`),
  'aws-cn': fc.tuple(dir, n).map(([d, i]) => `cn-${d}-${i}`),
  'aws-iso': fc.tuple(dir, n).map(([d, i]) => `us-iso-${d}-${i}`),
  'aws-iso-b': fc.tuple(dir, n).map(([d, i]) => `us-isob-${d}-${i}`),
  'aws-iso-e': fc.tuple(dir, n).map(([d, i]) => `eu-isoe-${d}-${i}`),
  'aws-iso-f': fc.tuple(dir, n).map(([d, i]) => `us-isof-${d}-${i}`),
  'aws-eusc': fc.tuple(dir, n).map(([d, i]) => `eusc-de-${d}-${i}`),
};
const FORMS: Array<{ suffix: string; partition: Partition; dualStack: boolean; fips: boolean }> = [
  { suffix: 'amazonaws.com', partition: 'aws', dualStack: false, fips: true },
  { suffix: 'amazonaws.com', partition: 'aws-us-gov', dualStack: false, fips: true },
  { suffix: 'on.aws', partition: 'aws', dualStack: true, fips: true },
  { suffix: 'on.aws', partition: 'aws-us-gov', dualStack: true, fips: true },
  { suffix: 'amazonaws.com.cn', partition: 'aws-cn', dualStack: false, fips: false },
  { suffix: 'on.amazonwebservices.com.cn', partition: 'aws-cn', dualStack: true, fips: false },
  { suffix: 'amazonaws.eu', partition: 'aws-eusc', dualStack: false, fips: false },
  { suffix: 'c2s.ic.gov', partition: 'aws-iso', dualStack: false, fips: false },
  { suffix: 'sc2s.sgov.gov', partition: 'aws-iso-b', dualStack: false, fips: false },
  { suffix: 'cloud.adc-e.uk', partition: 'aws-iso-e', dualStack: false, fips: false },
  { suffix: 'csp.hci.ic.gov', partition: 'aws-iso-f', dualStack: false, fips: false },
];

const account = fc.stringMatching(/^\d{12}$/);

const privateHost = fc.tuple(fc.constantFrom(...FORMS), account, fc.boolean()).chain(([form, acct, wantFips]) =>
  REGIONS[form.partition].map((region) => {
    const fips = wantFips && form.fips;
    const label = `${form.dualStack ? 'dkr-ecr' : 'dkr.ecr'}${fips ? '-fips' : ''}`;
    const host = `${acct}.${label}.${region}.${form.suffix}`;
    return {
      host,
      expected: {
        host,
        kind: 'private',
        account: acct,
        region,
        partition: form.partition,
        fips,
        dualStack: form.dualStack,
      },
    };
  }),
);

const anyValidHost = fc.oneof(
  privateHost.map((h) => h.host),
  fc.constantFrom('public.ecr.aws', 'ecr-public.aws.com'),
);

const segment = fc.stringMatching(/^[a-z0-9._-]{1,12}$/);
const decorated = fc.tuple(
  fc.constantFrom('', 'https://', 'http://', 'HTTPS://'),
  fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  fc.option(
    fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`),
    { nil: undefined },
  ),
);

describe('parseRegistryHost properties', () => {
  it('only ever throws EcrAuthError(UNSUPPORTED_REGISTRY), whatever the string', () => {
    const pieces = fc.constantFrom(
      'public.ecr.aws',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      'https://',
      '@',
      ':',
      '/',
      '.',
      '[',
      ']',
      '%2e',
      '\\',
      '?',
      '#',
      '\n',
      ' ',
      'evil.example',
      '443',
      '-fips',
      'dkr-ecr',
      '\u0000',
      '\uff0e',
    );
    const inputs = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.webUrl(),
      fc.array(pieces, { maxLength: 8 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(inputs, (s) => {
        attempt(s);
      }),
      RUN,
    );
  });

  it('refuses any address with a control character, whitespace, "@", "\\", "%", "?" or "#"', () => {
    const bad = fc.oneof(
      fc.integer({ min: 0, max: 0x20 }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('\u007f', '\u0085', '\u00a0', '\u2028', '\u200b', '\ufeff', '@', '\\', '%', '?', '#'),
    );
    const input = fc.tuple(fc.constantFrom(...VALID_HOSTS.map((h) => h.input)), bad, fc.nat()).map(([host, c, at]) => {
      const i = at % (host.length + 1);
      return host.slice(0, i) + c + host.slice(i);
    });
    fc.assert(fc.property(input, refused), RUN);
  });

  it('parses every generated ECR host to exactly its parts', () => {
    fc.assert(
      fc.property(privateHost, ({ host, expected }) => {
        expect(parseRegistryHost(host)).toStrictEqual(expected);
      }),
      RUN,
    );
  });

  it('normalises scheme, port, path and case away', () => {
    fc.assert(
      fc.property(privateHost, decorated, ({ host, expected }, [scheme, port, path]) => {
        const input = `${scheme}${host.toUpperCase()}${port === undefined ? '' : `:${port}`}${path ?? ''}`;
        expect(parseRegistryHost(input)).toStrictEqual(expected);
      }),
      RUN,
    );
  });

  it('refuses a valid host with labels appended, prepended, or as a path or userinfo of another', () => {
    const evil = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}\.[a-z]{2,6}$/);
    const trick = fc
      .tuple(anyValidHost, evil, fc.integer({ min: 0, max: 4 }))
      .map(
        ([host, other, k]) =>
          [`${host}.${other}`, `${other}.${host}`, `${other}/${host}`, `https://${host}@${other}`, `${host}.`][k],
      );
    fc.assert(fc.property(trick, refused), RUN);
  });

  it('refuses any account id that is not 12 digits', () => {
    const badAccount = fc.oneof(
      fc.stringMatching(/^\d{1,11}$/),
      fc.stringMatching(/^\d{13,20}$/),
      fc.stringMatching(/^[0-9a-z]{12}$/).filter((s) => !/^\d+$/.test(s)),
    );
    fc.assert(
      fc.property(privateHost, badAccount, ({ host, expected }, acct) =>
        refused(acct + host.slice(expected.account.length)),
      ),
      RUN,
    );
  });

  it('refuses a region from another partition under a suffix', () => {
    const mismatched = fc
      .tuple(fc.constantFrom(...FORMS), fc.constantFrom(...(Object.keys(REGIONS) as Partition[])))
      .filter(([form, p]) => !FORMS.some((f) => f.suffix === form.suffix && f.partition === p))
      .chain(([form, p]) =>
        REGIONS[p].map((region) => `123456789012.${form.dualStack ? 'dkr-ecr' : 'dkr.ecr'}.${region}.${form.suffix}`),
      );
    fc.assert(fc.property(mismatched, refused), RUN);
  });
});
