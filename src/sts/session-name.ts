import { NOT_IAM_NAME_CHAR } from '../registry/aws-names';

// STS: RoleSessionName is 2-64 characters of [\w+=,.@-].
const MAX = 64;

/**
 * A session name CloudTrail readers can use: who (the account), where (the registry host)
 * and when (epoch seconds). Valid whatever the input: unsafe characters are replaced and
 * the host is shortened to fit.
 */
export function customerSessionName(account: string, host: string, nowMs: number): string {
  const prefix = `ecr-auth.${clean(account).slice(0, 12)}.`;
  const suffix = `.${Math.floor(nowMs / 1000)}`;
  // The account already leads the name: drop it from the host to keep room for the rest.
  const shortHost = clean(host.startsWith(`${account}.`) ? host.slice(account.length + 1) : host);
  return fit(prefix + shortHost.slice(0, Math.max(0, MAX - prefix.length - suffix.length)) + suffix);
}

export function jumpSessionName(nowMs: number): string {
  return fit(`ecr-auth.jump.${Math.floor(nowMs / 1000)}`);
}

function clean(s: string): string {
  return s.replace(NOT_IAM_NAME_CHAR, '_');
}

function fit(name: string): string {
  const trimmed = name.slice(0, MAX);
  return trimmed.length >= 2 ? trimmed : `${trimmed}__`.slice(0, 2);
}
