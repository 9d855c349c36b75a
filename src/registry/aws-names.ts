/**
 * AWS's naming rules that several rooms check: the one account-id pattern and the one
 * character class of IAM and STS names. Patterns that embed them are built from the sources.
 */

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_SOURCE = '\\d{12}';
const ACCOUNT_ID = new RegExp(`^${ACCOUNT_ID_SOURCE}$`);

/** Whether a string is an AWS account id (exactly 12 digits). */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/**
 * The characters IAM allows in a role name and STS in a RoleSessionName and a SourceIdentity:
 * `[\w+=,.@-]`. https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export const IAM_NAME_CHAR = '[\\w+=,.@-]';

/** Matches every character outside IAM_NAME_CHAR (global: for `replace`). */
export const NOT_IAM_NAME_CHAR = new RegExp(`[^${IAM_NAME_CHAR.slice(1)}`, 'g');
