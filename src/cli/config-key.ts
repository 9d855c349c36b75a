/**
 * A registry key of the configuration file, as sent to `POST /registry-auth`: one of its three
 * shapes (role, static key, user name and password), plus what scopes the session.
 */
export interface RegistryKey {
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  readonly userName?: string;
  readonly password?: string;
  readonly access?: 'pull' | 'push';
  /** Passed through as they are: the service checks the keys it allows and STS's rules. */
  readonly sessionTags?: Readonly<Record<string, string>>;
  /** Passed through as they are: the service checks ECR's naming rules and the policy's size. */
  readonly repositories?: readonly string[];
}

/** The fields that scope the customer's session rather than name the key. */
export type SessionScope = Pick<RegistryKey, 'access' | 'sessionTags' | 'repositories'>;

const STRING_FIELDS = new Set([
  'roleArn',
  'externalId',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'userName',
  'password',
  'access',
]);
const KINDS = ['roleArn', 'accessKeyId', 'userName'] as const;

/**
 * Checks a key's shape (field names and types) and the choice of `access`; the service judges
 * the rest (tag keys and values, repository names) and says what is wrong in its 400, so the
 * two can never disagree. Problems name the place and field, never a value.
 * @returns the key, deep-frozen, or `undefined` after pushing its problems.
 */
export function checkKey(value: unknown, where: string, problems: string[]): RegistryKey | undefined {
  if (!isObject(value)) {
    problems.push(`${where} must be an object such as {"roleArn": "…", "externalId": "…"}`);
    return undefined;
  }
  const before = problems.length;
  for (const [field, v] of Object.entries(value)) {
    if (field === 'sessionTags') {
      if (!isObject(v) || !Object.values(v).every((t) => typeof t === 'string'))
        problems.push(`${where}.sessionTags must be an object of tag key to string value, such as {"team": "web"}`);
    } else if (field === 'repositories') {
      if (!Array.isArray(v) || !v.every((r) => typeof r === 'string'))
        problems.push(`${where}.repositories must be a list of repository names, such as ["team/app"]`);
    } else if (!STRING_FIELDS.has(field)) problems.push(`${where}: unknown field "${field.slice(0, 40)}"`);
    else if (typeof v !== 'string') problems.push(`${where}.${field} must be a string`);
  }
  if (!KINDS.some((k) => typeof value[k] === 'string' && value[k] !== ''))
    problems.push(`${where} needs roleArn, accessKeyId or userName`);
  if (value.access !== undefined && value.access !== 'pull' && value.access !== 'push')
    problems.push(`${where}.access must be "pull" or "push"`);
  if (problems.length !== before) return undefined;
  const key: Record<string, unknown> = { ...value };
  if (isObject(value.sessionTags)) key.sessionTags = Object.freeze({ ...value.sessionTags });
  if (Array.isArray(value.repositories)) key.repositories = Object.freeze([...(value.repositories as unknown[])]);
  return Object.freeze(key);
}

/** The session scope of a key (none of its credentials), to go with a key chosen elsewhere. */
export function sessionScopeOf(key: RegistryKey | undefined): SessionScope {
  const scope: { -readonly [K in keyof SessionScope]: SessionScope[K] } = {};
  if (key?.access !== undefined) scope.access = key.access;
  if (key?.sessionTags !== undefined) scope.sessionTags = key.sessionTags;
  if (key?.repositories !== undefined) scope.repositories = key.repositories;
  return scope;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
