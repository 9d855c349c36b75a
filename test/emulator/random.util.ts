/** Random identifiers and secrets shaped like AWS's. */
import { randomBytes, randomUUID } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `n` characters of A–Z and 2–7 (AWS key ids and unique ids use this alphabet). */
export function upperAlnum(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += UPPER_ALNUM[bytes[i] & 31];
  return s;
}

/** `n` characters of base64 text (A–Z a–z 0–9 + /), like a secret access key. */
export function base64Chars(n: number): string {
  return randomBytes(Math.ceil((n * 3) / 4) + 3)
    .toString('base64')
    .replace(/=/g, '')
    .slice(0, n);
}

/** A temporary access key id: `ASIA` + 16 upper-case alphanumerics. */
export const sessionAccessKeyId = (): string => `ASIA${upperAlnum(16)}`;

/** A 40-character secret access key. */
export const secretAccessKey = (): string => base64Chars(40);

/** A session token: long base64, starting like real ones. */
export const sessionToken = (): string => `IQoJb3JpZ2luX2Vj${randomBytes(480).toString('base64')}`;

/** An IAM unique id with the given prefix (`AROA`, `AIDA`): prefix + 17 characters. */
export const uniqueId = (prefix: string): string => `${prefix}${upperAlnum(17)}`;

/** An ECR password of `length` characters, base64 text with padding like real ones. */
export function ecrSecret(length: number): string {
  const body = base64Chars(Math.max(4, length - 2));
  return (body + '==').slice(0, Math.max(1, length));
}

export const requestId = (): string => randomUUID();
