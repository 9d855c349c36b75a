import fc from 'fast-check';
import { customerSessionName, jumpSessionName } from './session-name';

// STS RoleSessionName: 2-64 characters of [\w+=,.@-].
const VALID = /^[\w+=,.@-]{2,64}$/;
const ACCOUNT = '123456789012';
const NOW = 1_700_000_000_999; // epoch seconds 1700000000

describe('customerSessionName', () => {
  it('names the account, the registry (without the repeated account) and the time in seconds', () => {
    expect(customerSessionName(ACCOUNT, `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`, NOW)).toBe(
      'ecr-auth.123456789012.dkr.ecr.eu-west-1.amazonaws.com.1700000000',
    );
  });

  it('keeps a host that does not start with the account', () => {
    expect(customerSessionName(ACCOUNT, 'public.ecr.aws', NOW)).toBe('ecr-auth.123456789012.public.ecr.aws.1700000000');
  });

  it.each([
    ['a FIPS dual-stack host', `${ACCOUNT}.dkr-ecr-fips.ap-southeast-4.on.aws`],
    ['a long region name', `${ACCOUNT}.dkr.ecr.ap-southeast-4.amazonaws.com`],
    ['an absurdly long host', `${'sub.'.repeat(100)}amazonaws.com`],
  ])('shortens %s to fit 64 characters, keeping the account and the timestamp', (_why, host) => {
    const name = customerSessionName(ACCOUNT, host, NOW);
    expect(name).toMatch(VALID);
    expect(name.startsWith(`ecr-auth.${ACCOUNT}.`)).toBe(true);
    expect(name.endsWith('.1700000000')).toBe(true);
  });

  it.each([
    ['spaces and slashes', ACCOUNT, 'host with/space', 'ecr-auth.123456789012.host_with_space.1700000000'],
    ['a colon and a port', ACCOUNT, 'localhost:5000', 'ecr-auth.123456789012.localhost_5000.1700000000'],
    ['a hostile account', 'acc/ount*', 'h', 'ecr-auth.acc_ount_.h.1700000000'],
  ])('replaces characters STS refuses: %s', (_why, account, host, expected) => {
    expect(customerSessionName(account, host, NOW)).toBe(expected);
  });

  it('is always 2-64 characters of [\\w+=,.@-], whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ unit: 'binary', maxLength: 600 }),
        fc.double(),
        (account, host, now) => {
          expect(customerSessionName(account, host, now)).toMatch(VALID);
        },
      ),
    );
  });

  it('always contains the account and the timestamp for a real account and clock', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{12}$/),
        fc.string({ unit: 'grapheme', maxLength: 600 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (account, host, now) => {
          const name = customerSessionName(account, host, now);
          expect(name).toMatch(VALID);
          expect(name.startsWith(`ecr-auth.${account}.`)).toBe(true);
          expect(name.endsWith(`.${Math.floor(now / 1000)}`)).toBe(true);
        },
      ),
    );
  });
});

describe('jumpSessionName', () => {
  it('names the jump hop and the time in seconds', () => {
    expect(jumpSessionName(NOW)).toBe('ecr-auth.jump.1700000000');
  });

  it('is valid for any clock value', () => {
    fc.assert(fc.property(fc.double(), (now) => expect(jumpSessionName(now)).toMatch(VALID)));
  });
});
