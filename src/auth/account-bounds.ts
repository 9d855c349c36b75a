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
