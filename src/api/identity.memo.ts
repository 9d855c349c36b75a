import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../auth/caller';
import type { MintIdentity } from '../mint/mint.types';

interface Known {
  readonly caller: Caller | undefined;
  readonly identity: MintIdentity;
}

/**
 * The identities of request bodies seen before, per caller: a build asks with the same body
 * again and again, and the body schema's and the local checks' verdict on the same body for
 * the same caller cannot change (the configuration is read once; a caller whose tokens are
 * reloaded is a new object). Keyed by a SHA-256 of the caller and the body's JSON text, never
 * the text itself: a body holds external IDs and keys. Refusals are not kept: they throw, and
 * the next request is judged afresh.
 */
export class IdentityMemo {
  private readonly known: LRUCache<string, Known>;

  constructor(max: number) {
    this.known = new LRUCache({ max });
  }

  /** The identity `judge` gives this body for this caller: judged once, then remembered. */
  identify(body: unknown, caller: Caller | undefined, judge: () => MintIdentity): MintIdentity {
    const digest = digestOf(body, caller);
    // A body that cannot be written back (nested past the stack) is only judged: a refusal.
    if (digest === undefined) return judge();
    const seen = this.known.get(digest);
    // The same caller object: a caller with the same id but other accounts is judged again.
    if (seen && seen.caller === caller) return seen.identity;
    const identity = judge();
    this.known.set(digest, { caller, identity });
    return identity;
  }
}

function digestOf(body: unknown, caller: Caller | undefined): string | undefined {
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch {
    return undefined;
  }
  // One-shot hash: the body's text is short, and this runs on every request.
  return hash('sha256', `${caller?.id ?? ''}\n${text}`, 'base64');
}
