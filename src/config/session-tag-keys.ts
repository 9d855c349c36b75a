import { MAX_SESSION_TAGS, TAG_KEY_RULE, isValidTagKey } from '../sts/session-tags';

/** A comma-separated list of keys, blanks dropped (as `ECR_AUTH_SESSION_TAG_KEYS` is read). */
export function splitTagKeys(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * What is wrong with a list of allowed session tag keys, or `undefined`: keys STS accepts,
 * distinct even ignoring case (STS compares them so), no more than STS takes. Never a key.
 */
export function tagKeysProblem(keys: readonly string[]): string | undefined {
  if (!keys.every(isValidTagKey)) return `each comma-separated key must be ${TAG_KEY_RULE}`;
  if (new Set(keys.map((k) => k.toLowerCase())).size !== keys.length)
    return 'lists a key twice (keys are compared ignoring case)';
  if (keys.length > MAX_SESSION_TAGS) return `lists more than ${MAX_SESSION_TAGS} keys (STS's limit)`;
  return undefined;
}
