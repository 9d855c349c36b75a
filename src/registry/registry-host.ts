import { EcrAuthError } from '../errors/ecr-auth.error';
import { Partition, partitionOfRegion } from './partition';
import { isAccountId } from './aws-names';

/** An Amazon ECR registry host, recognised and classified. */
export interface RegistryHost {
  /** Normalised host: lower-case, no scheme, port, path or trailing dot. */
  host: string;
  kind: 'private' | 'public';
  /** The registry's 12-digit account id (private registries only). */
  account?: string;
  /** The registry's region; `us-east-1` for ECR Public. */
  region: string;
  partition: Partition;
  /** A FIPS endpoint (`dkr.ecr-fips` / `dkr-ecr-fips`). */
  fips: boolean;
  /** A dual-stack (IPv4 + IPv6) endpoint (`dkr-ecr…on.aws` and the like). */
  dualStack: boolean;
}

/** Longest registry address accepted, scheme and path included. */
export const MAX_REGISTRY_INPUT_LENGTH = 512;

interface DnsSuffix {
  partitions: readonly Partition[];
  dualStack: boolean;
  /** A dual-stack suffix that takes the `dkr.ecr` spelling of the label as well. */
  dottedLabel?: boolean;
  /** ECR publishes FIPS endpoints only in the US commercial and GovCloud regions. */
  fips: boolean;
}

// Every DNS suffix ECR serves private registries under. Anchoring is by construction: the
// suffix is everything after the region label and must equal a key here exactly.
// EUSC and the isolated partitions publish no dual-stack ECR endpoint (yet): add them here
// once AWS documents one.
const SUFFIXES: Readonly<Record<string, DnsSuffix>> = {
  'amazonaws.com': { partitions: ['aws', 'aws-us-gov'], dualStack: false, fips: true },
  'on.aws': { partitions: ['aws', 'aws-us-gov'], dualStack: true, fips: true },
  'amazonaws.com.cn': { partitions: ['aws-cn'], dualStack: false, fips: false },
  // AWS's own tools spell it <account>.dkr-ecr.<region>.on.amazonwebservices.com.cn; the
  // <account>.dkr.ecr.… spelling is accepted too (it is in circulation; the suffix is
  // AWS's and dual-stack only, so both name the same registry).
  'on.amazonwebservices.com.cn': { partitions: ['aws-cn'], dualStack: true, fips: false, dottedLabel: true },
  'amazonaws.eu': { partitions: ['aws-eusc'], dualStack: false, fips: false },
  'c2s.ic.gov': { partitions: ['aws-iso'], dualStack: false, fips: false },
  'sc2s.sgov.gov': { partitions: ['aws-iso-b'], dualStack: false, fips: false },
  'cloud.adc-e.uk': { partitions: ['aws-iso-e'], dualStack: false, fips: false },
  'csp.hci.ic.gov': { partitions: ['aws-iso-f'], dualStack: false, fips: false },
};

const PUBLIC_HOSTS: ReadonlySet<string> = new Set(['public.ecr.aws', 'ecr-public.aws.com']);

// <account>.<dkr.ecr | dkr-ecr>[-fips].<region>.<suffix>; each part is checked on its own
// afterwards so the refusal can say which one is wrong.
const PRIVATE_HOST = /^([^.]*)\.(dkr\.ecr|dkr-ecr)(-fips)?\.([^.]*)\.(.+)$/;

const ADDRESS = 'The registry address';
const EXAMPLE = 'e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com or public.ecr.aws';

function refuse(what: string, reason: string): never {
  throw new EcrAuthError(
    'UNSUPPORTED_REGISTRY',
    `${what} is not an Amazon ECR registry: ${reason}. Send the registry host as ECR shows it, ${EXAMPLE}.`,
  );
}

// A DNS name: dot-separated labels of letters, digits and inner hyphens, ending in a
// top-level label of letters (as every public suffix does).
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Names a host in a message only when it looks like a host name: anything else may be a
 * secret pasted into the wrong field, and is never echoed.
 */
function quote(host: string): string {
  if (!HOST_NAME.test(host)) refuse(ADDRESS, 'it is not a host name');
  return `Registry "${host.length > 80 ? `${host.slice(0, 80)}…` : host}"`;
}

/**
 * Checks the raw characters before any splitting, so no later step can be fooled by
 * userinfo, encodings, or a query/fragment that hides the real host.
 */
function checkCharacters(input: string): void {
  if (input.length === 0) refuse(ADDRESS, 'it is empty');
  if (input.length > MAX_REGISTRY_INPUT_LENGTH) {
    refuse(ADDRESS, `it is longer than ${MAX_REGISTRY_INPUT_LENGTH} characters`);
  }
  if (/[^\x21-\x7e]/.test(input)) {
    refuse(ADDRESS, 'it contains whitespace, control or non-ASCII characters');
  }
  if (input.includes('@')) refuse(ADDRESS, 'it contains "@" (user information is not allowed)');
  if (input.includes('\\')) refuse(ADDRESS, 'it contains a backslash');
  if (input.includes('%')) refuse(ADDRESS, 'it contains percent-encoding');
  if (/[?#]/.test(input)) refuse(ADDRESS, 'it contains a query or fragment ("?" or "#")');
}

/** Drops an `http://` / `https://` scheme and any path; returns `host[:port]`. */
function authorityOf(input: string): string {
  let rest = input;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    if (name !== 'https' && name !== 'http') {
      refuse(ADDRESS, `the scheme "${name}" is not supported (use https:// or none)`);
    }
    rest = rest.slice(scheme[0].length);
  }
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  if (authority === '') refuse(ADDRESS, 'it names no host');
  return authority;
}

/** Splits `host[:port]`, refusing IP-literal brackets and bad ports. Returns the host. */
function hostOf(authority: string): string {
  if (/[[\]]/.test(authority)) refuse(ADDRESS, 'IP literals are not ECR hosts');
  const parts = authority.split(':');
  if (parts.length > 2) refuse(ADDRESS, 'it has more than one port separator');
  const [host, port] = parts as [string, string?];
  if (host === '') refuse(ADDRESS, 'it names no host');
  if (port !== undefined && !(/^[1-9]\d{0,4}$/.test(port) && Number(port) <= 65535)) {
    refuse(ADDRESS, 'its port is not a number from 1 to 65535');
  }
  return host.toLowerCase();
}

function parsePrivate(host: string): RegistryHost {
  if (host.endsWith('.')) {
    // Refused rather than normalised: docker keys credentials by the exact host, so
    // "host." would be a second identity for the same registry.
    refuse(quote(host.slice(0, -1)), 'drop the trailing dot');
  }
  const what = quote(host);
  const m = PRIVATE_HOST.exec(host);
  if (!m) refuse(what, 'expected <12-digit account>.dkr.ecr.<region>.<AWS DNS suffix>');
  const [account, style, fipsTag, region, suffixName] = [m[1], m[2], m[3], m[4], m[5]];
  const suffix = Object.hasOwn(SUFFIXES, suffixName) ? SUFFIXES[suffixName] : undefined;
  if (!suffix) refuse(what, `"${suffixName}" is not a DNS suffix Amazon ECR serves registries under`);
  if (!isAccountId(account)) refuse(what, 'the account id must be exactly 12 digits');
  const dualStack = suffix.dualStack;
  if (style === 'dkr-ecr' && !dualStack) {
    refuse(what, `dual-stack hosts (dkr-ecr) are not served under ${suffixName}`);
  }
  if (style === 'dkr.ecr' && dualStack && !suffix.dottedLabel) {
    refuse(what, `hosts under ${suffixName} are dual-stack and start <account>.dkr-ecr`);
  }
  const fips = fipsTag !== undefined;
  if (fips && !suffix.fips) refuse(what, `Amazon ECR has no FIPS endpoint under ${suffixName}`);
  const partition = partitionOfRegion(region);
  if (!partition) refuse(what, `"${region}" is not a region name`);
  if (!suffix.partitions.includes(partition)) {
    refuse(what, `region ${region} is in partition ${partition}, which is not served under ${suffixName}`);
  }
  return { host, kind: 'private', account, region, partition, fips, dualStack };
}

/**
 * Recognises an Amazon ECR registry address and classifies it. Pure, no I/O.
 *
 * Accepts a bare host or one with an `http(s)://` scheme, a port and a path
 * (`https://host/v2/`), in any case; the whole host must match one of the forms ECR serves
 * (private, FIPS, dual-stack, every partition's DNS suffix, ECR Public).
 *
 * @throws EcrAuthError `UNSUPPORTED_REGISTRY` for anything else: look-alike suffixes,
 *   wrong-length accounts, a region outside the suffix's partition, userinfo (`@`),
 *   percent-encoding, whitespace or control characters, a query or fragment, IP literals,
 *   bad ports, empty or over-long input.
 */
export function parseRegistryHost(input: string): RegistryHost {
  if (typeof input !== 'string') refuse(ADDRESS, 'it is not a string');
  checkCharacters(input);
  const host = hostOf(authorityOf(input));
  if (PUBLIC_HOSTS.has(host)) {
    return { host, kind: 'public', region: 'us-east-1', partition: 'aws', fips: false, dualStack: false };
  }
  return parsePrivate(host);
}
