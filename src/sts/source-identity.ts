import { createHash } from 'node:crypto';
import { IAM_NAME_CHAR, NOT_IAM_NAME_CHAR } from '../registry/aws-names';

// STS: SourceIdentity is 2-64 characters of [\w+=,.@-] and must not start with `aws:`
// (a colon is outside the class, so no mapped value can).
const MAX = 64;
const HASH_LENGTH = 12;
const VALID = new RegExp(`^${IAM_NAME_CHAR}{2,64}$`);

/**
 * The caller's name as a SourceIdentity STS accepts: characters outside STS's class become
 * `-`, a one-character name is padded, and a name too long keeps its start and ends with a
 * short hash of the whole name, so that two long names sharing a prefix stay apart.
 * Pure and total: any string gives a valid value.
 */
export function sourceIdentityOf(name: string): string {
  const cleaned = name.replace(NOT_IAM_NAME_CHAR, '-');
  if (cleaned.length > MAX) {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
    return `${cleaned.slice(0, MAX - HASH_LENGTH - 1)}.${hash}`;
  }
  return cleaned.padEnd(2, '-');
}

/** STS's own check of a SourceIdentity (for the emulator's and the tests' use). */
export function isValidSourceIdentity(value: string): boolean {
  return VALID.test(value) && !/^aws:/i.test(value);
}
