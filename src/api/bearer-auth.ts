import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '../config/app-config';

/**
 * Checks bearer tokens in constant time. Every configured token is compared (no early
 * exit), on SHA-256 digests so the lengths compared are always equal.
 */
export class BearerAuth {
  private digests: ReadonlyArray<{ digest: Buffer; token: ApiToken }> = [];

  constructor(tokens: readonly ApiToken[]) {
    this.replace(tokens);
  }

  /** Swaps the accepted tokens at once (rotation without a restart). */
  replace(tokens: readonly ApiToken[]): void {
    this.digests = tokens.map((token) => ({ digest: sha256(token.token), token }));
  }

  get count(): number {
    return this.digests.length;
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /** The token matching an `Authorization` header value, or undefined. */
  authenticate(header: string | undefined): ApiToken | undefined {
    if (!header || header.length > 1024) return undefined;
    // ASCII only: a token is printable ASCII, and no Unicode space may pass for a separator.
    const match = /^Bearer[ \t]+([\x21-\x7E]+)[ \t]*$/i.exec(header);
    if (!match) return undefined;
    const presented = sha256(match[1]);
    let found: ApiToken | undefined;
    for (const { digest, token } of this.digests) {
      if (timingSafeEqual(digest, presented) && !found) found = token;
    }
    return found;
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
