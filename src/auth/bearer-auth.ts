import { hash } from 'node:crypto';
import type { ApiToken } from '../config/app-config';
import { apiTokenCaller, Caller } from './caller';

// ASCII only: a token is printable ASCII, and no Unicode space may pass for a separator.
const BEARER = /^Bearer[ \t]+([\x21-\x7E]+)[ \t]*$/i;
// Room for a workload-identity JWT (Kubernetes and CI tokens run to a few KB; OIDC caps them at 16 KiB).
const MAX_HEADER = 16 * 1024 + 16;

/**
 * Checks API tokens: one SHA-256 of the presented token and one map look-up. The map is keyed
 * by digests, so a look-up's timing can only tell about a digest, never about a token.
 */
export class BearerAuth {
  private callers: ReadonlyMap<string, Caller> = new Map();

  constructor(tokens: readonly ApiToken[]) {
    this.replace(tokens);
  }

  /** Swaps the accepted tokens at once (rotation without a restart). The first entry of a token wins. */
  replace(tokens: readonly ApiToken[]): void {
    const callers = new Map<string, Caller>();
    for (const token of tokens) {
      const digest = sha256(token.token);
      if (!callers.has(digest)) callers.set(digest, apiTokenCaller(token));
    }
    this.callers = callers;
  }

  get enabled(): boolean {
    return this.callers.size > 0;
  }

  /** The credential of a `Bearer` header, or undefined when the header is not one. */
  static bearerOf(header: string | undefined): string | undefined {
    if (!header || header.length > MAX_HEADER) return undefined;
    return BEARER.exec(header)?.[1];
  }

  /** The caller of a configured API token, or undefined. */
  authenticate(bearer: string | undefined): Caller | undefined {
    return bearer === undefined ? undefined : this.callers.get(sha256(bearer));
  }
}

// One-shot hash: a third of createHash's cost, on every request.
function sha256(s: string): string {
  return hash('sha256', s, 'base64');
}
