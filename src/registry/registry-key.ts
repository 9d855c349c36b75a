import { EcrAuthError } from '../errors/ecr-auth.error';
import { ROLE_ARN_FORM, RoleArn, parseRoleArn } from './role-arn';

/** The key fields of `POST /registry-auth`, as received (all optional). */
export interface RegistryKeyInput {
  roleArn?: string;
  externalId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  userName?: string;
  password?: string;
}

/** A classified registry key: a customer role to assume, or a static access key pair. */
export type RegistryKey =
  | { kind: 'role'; role: RoleArn; externalId?: string }
  | { kind: 'static'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const ACCESS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;
// Real secrets are 40 base64 characters; the bounds leave room without letting junk through.
const SECRET_ACCESS_KEY = /^[^\s\p{Cc}]{16,128}$/u;
const SESSION_TOKEN = /^[\x20-\x7e]{16,8192}$/;
// STS's ExternalId rule. https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

const ACCESS_KEY_ID_FORM = 'AKIA or ASIA followed by 16 upper-case letters or digits';
const SHAPES =
  'send roleArn (with externalId), or accessKeyId and secretAccessKey (with an optional sessionToken), ' +
  'or userName (a role ARN or an access key id) and password (the external ID or the secret access key)';

type Field = keyof RegistryKeyInput;

// Messages name fields and expected forms only: a value is never echoed, since a secret
// pasted into the wrong field would otherwise leak into logs and responses.
function invalid(message: string): EcrAuthError {
  return new EcrAuthError('INVALID_REGISTRY_KEY', message);
}

/** An own, non-empty string field; `undefined`/`null`/`''` count as absent. */
function read(input: object, field: Field): string | undefined {
  if (!Object.hasOwn(input, field)) return undefined;
  const value: unknown = (input as Record<string, unknown>)[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string.`);
  return value;
}

/** Whether a string meets STS's rules for an external ID (2–1224 characters of `[\w+=,.@:/-]`). */
export function isValidExternalId(id: string): boolean {
  return EXTERNAL_ID.test(id);
}

/**
 * Checks an external ID against STS's rules (2–1224 characters of `[\w+=,.@:/-]`).
 * `field` names the request field it came from, for the message.
 *
 * @throws EcrAuthError `INVALID_REGISTRY_KEY`, never echoing the value.
 */
export function checkExternalId(id: string, field: 'externalId' | 'password' = 'externalId'): void {
  if (typeof id !== 'string') throw invalid(`${field} (the external ID) must be a string.`);
  if (id.length < 2 || id.length > 1224) {
    throw invalid(
      `${field} (the external ID) must be 2 to 1224 characters long, as STS requires; send the external ID agreed with the customer.`,
    );
  }
  if (!EXTERNAL_ID.test(id)) {
    throw invalid(
      `${field} (the external ID) may only contain letters, digits and _+=,.@:/- as STS requires; send the external ID agreed with the customer.`,
    );
  }
}

function roleHint(value: string): string {
  if (/^arn:[^:]*:sts::/.test(value))
    return ' An STS assumed-role ARN names a session, not a role: send the IAM role ARN.';
  if (/^arn:[^:]*:iam::[^:]*:user\//.test(value)) return ' A user ARN cannot be assumed: send a role ARN.';
  return '';
}

function roleKey(
  arn: string,
  externalId: string | undefined,
  fields: { arn: Field; id: 'externalId' | 'password' },
): RegistryKey {
  const role = parseRoleArn(arn);
  if (!role) {
    throw invalid(
      `${fields.arn} is not an IAM role ARN: expected ${ROLE_ARN_FORM} (a path such as role/team/<name> is allowed).${roleHint(arn)}`,
    );
  }
  if (externalId === undefined) return { kind: 'role', role };
  checkExternalId(externalId, fields.id);
  return { kind: 'role', role, externalId };
}

function staticKey(
  accessKeyId: string,
  secret: string | undefined,
  sessionToken: string | undefined,
  fields: { id: Field; secret: Field },
): RegistryKey {
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw invalid(`${fields.id} is not an access key id: expected ${ACCESS_KEY_ID_FORM}.`);
  }
  if (secret === undefined) {
    throw invalid(`${fields.secret} is missing: an access key id needs its secret access key.`);
  }
  if (!SECRET_ACCESS_KEY.test(secret)) {
    throw invalid(
      `${fields.secret} is not a secret access key: expected 16 to 128 characters without whitespace or control characters (AWS issues 40).`,
    );
  }
  if (sessionToken === undefined) return { kind: 'static', accessKeyId, secretAccessKey: secret };
  if (!SESSION_TOKEN.test(sessionToken)) {
    throw invalid(
      'sessionToken is not a session token: expected 16 to 8192 printable ASCII characters; send it as STS returned it, or leave it out for long-term keys.',
    );
  }
  return { kind: 'static', accessKeyId, secretAccessKey: secret, sessionToken };
}

function fromUserName(userName: string, password: string | undefined, sessionToken: string | undefined): RegistryKey {
  if (userName.startsWith('arn:')) return roleKey(userName, password, { arn: 'userName', id: 'password' });
  if (ACCESS_KEY_ID.test(userName)) {
    return staticKey(userName, password, sessionToken, { id: 'userName', secret: 'password' });
  }
  throw invalid(`userName is neither a role ARN (${ROLE_ARN_FORM}) nor an access key id (${ACCESS_KEY_ID_FORM}).`);
}

/**
 * Classifies the key fields of a `POST /registry-auth` body into one of its shapes. The
 * first present of `roleArn`, `accessKeyId`, `userName` decides the kind, so `roleArn`
 * always wins. Empty strings count as absent. With `userName`, a role ARN takes `password`
 * as its external ID (may be empty), an access key id takes it as the secret (required).
 *
 * @throws EcrAuthError `INVALID_REGISTRY_KEY` when no key is given or a field breaks its
 *   format; the message names the field and the expected form, never a value.
 */
export function classifyRegistryKey(input: RegistryKeyInput): RegistryKey {
  if (typeof input !== 'object' || input === null) throw invalid(`The registry key is missing: ${SHAPES}.`);
  const roleArn = read(input, 'roleArn');
  if (roleArn !== undefined) {
    return roleKey(roleArn, read(input, 'externalId'), { arn: 'roleArn', id: 'externalId' });
  }
  const accessKeyId = read(input, 'accessKeyId');
  if (accessKeyId !== undefined) {
    return staticKey(accessKeyId, read(input, 'secretAccessKey'), read(input, 'sessionToken'), {
      id: 'accessKeyId',
      secret: 'secretAccessKey',
    });
  }
  const userName = read(input, 'userName');
  if (userName !== undefined) return fromUserName(userName, read(input, 'password'), read(input, 'sessionToken'));
  throw invalid(`The registry key is missing: ${SHAPES}.`);
}
