/**
 * STS's rules for session tags and SourceIdentity, checked before any call so a request STS
 * would refuse is a 400 with a reason, not an upstream failure.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_know
 */

/** STS accepts at most this many session tags per AssumeRole. */
export const MAX_SESSION_TAGS = 50;

// Letters, separators (spaces), digits and _.:/=+-@, counted in characters (code points).
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const RESERVED = /^aws:/i;

/** What a tag key must be, for messages. */
export const TAG_KEY_RULE = "1-128 letters, digits, spaces and _.:/=+-@, not starting with 'aws:'";
/** What a tag value must be, for messages. */
export const TAG_VALUE_RULE = '0-256 letters, digits, spaces and _.:/=+-@';

export function isValidTagKey(key: string): boolean {
  return TAG_KEY.test(key) && !RESERVED.test(key);
}

export function isValidTagValue(value: string): boolean {
  return TAG_VALUE.test(value);
}

/** A session's tags as STS receives them. */
export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/** The tags in one canonical order (by key), so that the same set always reads the same. */
export function canonicalTags(tags: Readonly<Record<string, string>>): SessionTag[] {
  return Object.keys(tags)
    .sort()
    .map((key) => ({ key, value: tags[key] }));
}
