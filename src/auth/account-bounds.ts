import { EcrAuthError } from '../errors/ecr-auth.error';
import type { Caller } from './caller';

/**
 * The accounts a request may reach: the deployment's (ECR_AUTH_ALLOWED_ACCOUNTS), then the
 * caller's (an API token's binding, a JWT's rules). One rule for mint, verify and eviction.
 *
 * @param account the customer account (the role's; for static keys the registry's), undefined when the key names none
 * @throws EcrAuthError ACCOUNT_NOT_ALLOWED
 */
export function assertAccountReachable(
  account: string | undefined,
  allowed: ReadonlySet<string> | undefined,
  caller: Caller | undefined,
): void {
  assertWithin(account, allowed, 'ECR_AUTH_ALLOWED_ACCOUNTS');
  assertWithin(account, caller?.accounts, caller?.kind === 'jwt' ? "your identity's claim rules" : 'the API token');
}

function assertWithin(account: string | undefined, allowed: ReadonlySet<string> | undefined, source: string): void {
  if (!allowed) return;
  if (account === undefined) {
    throw new EcrAuthError(
      'ACCOUNT_NOT_ALLOWED',
      `Only registries of listed accounts are served (${source}), and this key names no account: use a role in one of them.`,
    );
  }
  if (!allowed.has(account)) {
    throw new EcrAuthError(
      'ACCOUNT_NOT_ALLOWED',
      `Account ${account} is not among the accounts allowed by ${source}; ask the operator to add it.`,
    );
  }
}

/**
 * An operator route or action: callers that are not operators (a token bound to accounts, a
 * JWT whose matched rules do not say `"operator": true`) get OPERATOR_ONLY. Open when auth is off.
 *
 * @param what the route or action, for the message
 */
export function assertOperator(caller: Caller | undefined, what: string): void {
  if (caller === undefined || caller.operator) return;
  throw new EcrAuthError(
    'OPERATOR_ONLY',
    `${what} is for operators: use an API token bound to no accounts, or an identity whose claim rule says "operator": true.`,
  );
}

/**
 * Eviction: an operator may evict anything; any other caller only what names one of the
 * accounts it reaches (a role ARN's account, a private registry's account).
 *
 * @param account the account the eviction names, undefined when it names none (ECR Public, an unparseable role ARN)
 */
export function assertMayEvict(
  account: string | undefined,
  allowed: ReadonlySet<string> | undefined,
  caller: Caller | undefined,
): void {
  if (caller === undefined || caller.operator) return;
  const what = 'Evicting another account’s role or registry';
  if (account === undefined) assertOperator(caller, what);
  try {
    assertAccountReachable(account, allowed, caller);
  } catch {
    assertOperator(caller, what);
  }
}
