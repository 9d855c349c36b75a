import type { ClaimRule } from '../config/oidc-providers';

/** What the matched rules grant: `accounts` undefined means every account the service allows. */
export interface Grant {
  readonly accounts?: ReadonlySet<string>;
  readonly operator: boolean;
}

/**
 * Applies a provider's rules to a verified claim set. The grant is the union of the matched
 * rules: their accounts (a matched rule without `accounts` reaches every account) and the
 * operator flag (any matched rule with `operator: true`). No rule matched: no account, no operator.
 */
export function grantOf(rules: readonly ClaimRule[], claims: Readonly<Record<string, unknown>>): Grant {
  let everyAccount = false;
  let operator = false;
  const accounts = new Set<string>();
  for (const rule of rules) {
    if (!ruleMatches(rule, claims)) continue;
    if (rule.operator) operator = true;
    if (rule.accounts) rule.accounts.forEach((a) => accounts.add(a));
    else everyAccount = true;
  }
  return { accounts: everyAccount ? undefined : accounts, operator };
}

/** Every condition of the rule must match. */
export function ruleMatches(rule: ClaimRule, claims: Readonly<Record<string, unknown>>): boolean {
  return rule.claims.every(({ name, patterns }) => {
    // Own properties only: a claim named after an Object.prototype member is not present.
    if (!Object.prototype.hasOwnProperty.call(claims, name)) return false;
    const values = claimStrings(claims[name]);
    return values.some((value) => patterns.some((p) => globMatches(p, value)));
  });
}

/**
 * The strings a claim is compared as: a string itself; a number or boolean in its JSON form
 * (`42`, `true`); an array, each of its elements that is one of those. Objects and null
 * never match (a rule names flat claims; nested ones are out of reach on purpose).
 */
export function claimStrings(value: unknown): string[] {
  const scalar = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? JSON.stringify(v) : undefined;
  if (Array.isArray(value)) return value.map(scalar).filter((v): v is string => v !== undefined);
  const one = scalar(value);
  return one === undefined ? [] : [one];
}

/**
 * Whether `value` matches `pattern`, where `*` matches any run of characters (also none) and
 * every other character is literal (no regular expression is built, so `.`, `?`, `[`, `\` and
 * friends mean themselves and no pattern can backtrack catastrophically). Case-sensitive.
 */
export function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // The middle parts in order, each at its leftmost place: for `*`-only globs leftmost is never wrong.
  let at = first.length;
  const end = value.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
