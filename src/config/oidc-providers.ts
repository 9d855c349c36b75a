import { parse as secureParse } from 'secure-json-parse';
import { z } from 'zod';
import type { EnvReader } from './env-reader';
import { VALUE_FREE, issueLines } from '../validation/zod-issues';
import { isLoopback } from './loopback';
import { isAccountId } from '../registry/aws-names';

/** The signature algorithms a workload-identity JWT may use: asymmetric only, never `none` or HMAC. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** One claim a rule checks: the claim matches when one of its values matches one of the patterns. */
export interface ClaimCondition {
  readonly name: string;
  /** `*` matches any run of characters (also none); every other character is literal. */
  readonly patterns: readonly string[];
}

/** A rule: when every condition matches, the caller reaches `accounts` (undefined: every account). */
export interface ClaimRule {
  readonly claims: readonly ClaimCondition[];
  readonly accounts?: ReadonlySet<string>;
  readonly operator: boolean;
}

/** An OIDC issuer whose JWTs are accepted as bearers. Exactly one of `jwksUri` and `jwksFile`. */
export interface OidcProvider {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri?: string;
  readonly jwksFile?: string;
  readonly algorithms: readonly JwtAlgorithm[];
  readonly rules: readonly ClaimRule[];
}

const SHAPE = 'must be a JSON list of {"issuer","audience","jwksUri" or "jwksFile","rules"}';

const pattern = z.string({ error: 'must be a string pattern or a list of them' }).min(1).max(1024);
const ruleSchema = z.strictObject({
  claims: z
    .record(
      z.string().min(1).max(256),
      z.union([pattern, z.array(pattern).min(1).max(100)], { error: 'must be a string pattern or a list of them' }),
      {
        error: 'must be an object of claim name to pattern (or list of patterns)',
      },
    )
    .refine((c) => Object.keys(c).length > 0 && Object.keys(c).length <= 20, {
      error: 'must list 1 to 20 claims (write "sub": "*" to admit every subject)',
    }),
  accounts: z
    .array(z.string().refine(isAccountId, { error: 'must be a 12-digit account id' }), {
      error: 'must be a list of 12-digit account ids',
    })
    .min(1, { error: 'must list at least one account (leave it out to reach every account)' })
    .max(1000)
    .optional(),
  operator: z.boolean({ error: 'must be true or false' }).optional(),
});

const providerSchema = z
  .strictObject({
    issuer: z.string({ error: 'is required (the https URL the tokens carry as "iss")' }).refine(isIssuer, {
      error: 'must be an https URL without query or fragment, exactly as the tokens carry it in "iss"',
    }),
    audience: z
      .string({ error: 'is required (the "aud" the tokens must carry)' })
      .min(1, { error: 'is required (the "aud" the tokens must carry)' })
      .max(1024),
    jwksUri: z
      .string({ error: 'must be a URL' })
      .refine(isJwksUri, { error: 'must be https://, or http:// to a loopback address' })
      .optional(),
    jwksFile: z.string({ error: 'must be a file path' }).min(1).optional(),
    algorithms: z
      .array(z.enum(JWT_ALGORITHMS, { error: `must be one of ${JWT_ALGORITHMS.join(', ')}` }), {
        error: `must be a list drawn from ${JWT_ALGORITHMS.join(', ')}`,
      })
      .min(1, { error: `must list at least one of ${JWT_ALGORITHMS.join(', ')}` })
      .optional(),
    rules: z
      .array(ruleSchema, { error: 'is required: a list of rules' })
      .min(1, { error: 'must list at least one rule' })
      .max(200),
  })
  .refine((p) => (p.jwksUri === undefined) !== (p.jwksFile === undefined), {
    error: 'must set exactly one of jwksUri and jwksFile',
  });

type ProviderInput = z.infer<typeof providerSchema>;

/**
 * Parses the JSON list of ECR_AUTH_OIDC_PROVIDERS. Problems name the provider (by its position
 * and, when it is a valid URL, its issuer) and the field; they never carry a value.
 * `readFile` checks that a `jwksFile` is there and holds a key set.
 */
export function parseOidcProviders(
  text: string,
  readFile?: (path: string) => string,
): { providers: OidcProvider[]; problems: string[] } {
  let json: unknown;
  try {
    json = secureParse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return { providers: [], problems: [`${SHAPE} (it is not valid JSON)`] };
  }
  if (!Array.isArray(json) || json.length > 50) return { providers: [], problems: [`${SHAPE}, at most 50`] };
  const providers: OidcProvider[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  json.forEach((entry: unknown, index) => {
    const issuer = (entry as { issuer?: unknown } | null)?.issuer;
    const where = `provider ${index + 1}${typeof issuer === 'string' && isIssuer(issuer) ? ` (${issuer})` : ''}`;
    const parsed = providerSchema.safeParse(entry, VALUE_FREE);
    if (!parsed.success) {
      problems.push(...issueLines(parsed.error.issues, fieldPath).map((line) => `${where}: ${line}`));
      return;
    }
    if (seen.has(parsed.data.issuer)) {
      problems.push(`${where}: issuer: is configured twice`);
      return;
    }
    seen.add(parsed.data.issuer);
    const fileProblem = parsed.data.jwksFile && checkJwksFile(parsed.data.jwksFile, readFile);
    if (fileProblem) {
      problems.push(`${where}: jwksFile: ${fileProblem}`);
      return;
    }
    providers.push(toProvider(parsed.data));
  });
  return { providers, problems };
}

/** Reads ECR_AUTH_OIDC_PROVIDERS or ECR_AUTH_OIDC_PROVIDERS_FILE (not both) into frozen providers. */
export function readOidcProviders(r: EnvReader, readFile?: (path: string) => string): readonly OidcProvider[] {
  const inline = r.str('ECR_AUTH_OIDC_PROVIDERS');
  const file = r.str('ECR_AUTH_OIDC_PROVIDERS_FILE');
  if (inline && file) {
    r.problem('ECR_AUTH_OIDC_PROVIDERS_FILE', 'must not be set together with ECR_AUTH_OIDC_PROVIDERS');
    return Object.freeze([]);
  }
  let text = inline;
  const name = file ? 'ECR_AUTH_OIDC_PROVIDERS_FILE' : 'ECR_AUTH_OIDC_PROVIDERS';
  if (file) {
    try {
      text = (readFile ?? failRead)(file);
    } catch {
      r.problem(name, 'names a file that cannot be read');
    }
  }
  if (!text) return Object.freeze([]);
  const parsed = parseOidcProviders(text, readFile);
  parsed.problems.forEach((p) => r.problem(name, p));
  return Object.freeze(parsed.providers);
}

function toProvider(p: ProviderInput): OidcProvider {
  return Object.freeze({
    issuer: p.issuer,
    audience: p.audience,
    jwksUri: p.jwksUri,
    jwksFile: p.jwksFile,
    algorithms: Object.freeze([...new Set(p.algorithms ?? JWT_ALGORITHMS)]),
    rules: Object.freeze(
      p.rules.map((rule) =>
        Object.freeze({
          claims: Object.freeze(
            Object.entries(rule.claims).map(([name, value]) =>
              Object.freeze({ name, patterns: Object.freeze(typeof value === 'string' ? [value] : [...value]) }),
            ),
          ),
          accounts: rule.accounts && new Set(rule.accounts),
          operator: rule.operator ?? false,
        }),
      ),
    ),
  });
}

/** A field by its path: `rules[0].claims.sub`; a claim name of unusual characters is `<claim>`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${sanitizeKey(String(part))}`))
    .join('');
}

function sanitizeKey(key: string): string {
  return /^[\w.:/-]{1,64}$/.test(key) ? key : '<claim>';
}

function isIssuer(value: string): boolean {
  const url = tryUrl(value);
  return url?.protocol === 'https:' && url.search === '' && url.hash === '' && !value.includes('#');
}

function isJwksUri(value: string): boolean {
  const url = tryUrl(value);
  if (url?.protocol === 'https:') return true;
  return url?.protocol === 'http:' && isLoopback(url.hostname);
}

function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function checkJwksFile(path: string, readFile?: (path: string) => string): string | undefined {
  let text: string;
  try {
    text = (readFile ?? failRead)(path);
  } catch {
    return 'names a file that cannot be read';
  }
  try {
    const json = JSON.parse(text) as { keys?: unknown };
    if (Array.isArray(json?.keys)) return undefined;
  } catch {
    // falls through to the same answer
  }
  return 'must hold a JSON Web Key Set ({"keys": [...]})';
}

function failRead(): string {
  throw new Error('no file reader');
}
