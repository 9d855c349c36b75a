import { createHash } from 'node:crypto';
import type { ApiToken } from './app-config';
import { isAccountId } from '../registry/aws-names';

// Bearer tokens travel in a header: printable ASCII without spaces or the separators used here.
const TOKEN = /^[\x21-\x7E]{16,512}$/;
// A token's name, ahead of it and a space (a token never holds a space, so nothing is ambiguous).
const NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

/** A short, non-reversible name for a token, safe for logs and audit lines. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

/**
 * Parses `token` or `token=111111111111|222222222222` entries (comma- or newline-separated),
 * each optionally named: `ci-nightly token…` (the name, spaces, then the entry). A token
 * contains no space, so the first space can only end a name. Returns the tokens and problem
 * descriptions that never include a token.
 */
export function parseApiTokens(text: string): { tokens: ApiToken[]; problems: string[] } {
  const tokens: ApiToken[] = [];
  const problems: string[] = [];
  const entries = text
    .split(/[,\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
  entries.forEach((named, index) => {
    const space = named.search(/\s/);
    const name = space > 0 ? named.slice(0, space) : undefined;
    const entry = space > 0 ? named.slice(space).trimStart() : named;
    if (name !== undefined && !NAME.test(name)) {
      problems.push(
        `entry ${index + 1} has a name that is not 1-64 letters, digits and _.@- (then a space, then the token)`,
      );
      return;
    }
    const eq = entry.lastIndexOf('=');
    const bound = eq > 0 && /^[\d|]+$/.test(entry.slice(eq + 1));
    const token = bound ? entry.slice(0, eq) : entry;
    const accounts = bound
      ? entry
          .slice(eq + 1)
          .split('|')
          .filter((a) => a !== '')
      : undefined;
    if (!TOKEN.test(token)) {
      problems.push(`entry ${index + 1} must be 16-512 printable characters without spaces`);
      return;
    }
    if (accounts && (accounts.length === 0 || !accounts.every(isAccountId))) {
      problems.push(`entry ${index + 1} binds accounts that are not 12-digit account ids`);
      return;
    }
    tokens.push(
      Object.freeze({ token, fingerprint: fingerprint(token), accounts: accounts && new Set(accounts), name }),
    );
  });
  return { tokens, problems };
}
