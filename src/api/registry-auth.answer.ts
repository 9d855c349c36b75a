import { LRUCache } from 'lru-cache';
import type { MintIdentity, RegistryLogin } from '../mint/mint.types';

/** The 200 answer of POST /registry-auth. */
export interface RegistryAuthAnswer {
  registry: string;
  username: string;
  password: string;
  expiresAt: string;
}

/** The 200 answer's shape (OpenAPI, and Fastify's serializer for any answer sent as an object). */
export const ANSWER_SCHEMA = {
  type: 'object',
  required: ['registry', 'username', 'password', 'expiresAt'],
  properties: {
    registry: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    expiresAt: { type: 'string' },
  },
} as const;

/** The media type Fastify gives an answer it serializes: the same for an answer rendered here. */
export const ANSWER_TYPE = 'application/json; charset=utf-8';

/** The answer for a login. */
export function answerOf(login: RegistryLogin): RegistryAuthAnswer {
  return {
    registry: login.registry,
    username: login.username,
    password: login.password,
    expiresAt: login.expiresAt.toISOString(),
  };
}

interface Rendered {
  readonly registry: string;
  readonly username: string;
  readonly password: string;
  readonly expiresAt: number;
  readonly json: string;
}

/**
 * The answer's JSON text, rendered once per identity and token: a cache hit sends the text the
 * last hit sent (a 2 KB token escaped and copied once, not on every request). Kept per identity
 * (the request's registry is part of the answer, so a token answering for several hosts has a
 * text for each) and checked against the login it answers: a new token, expiry or host renders
 * anew. The same bytes as the schema's serializer. Only the hottest identities keep a text
 * (`max`): a text is a second copy of its token, and a cache of 10,000 entries would otherwise
 * hold each token twice.
 */
export class RenderedAnswers {
  private readonly rendered: LRUCache<MintIdentity, Rendered>;

  constructor(max = 256) {
    this.rendered = new LRUCache({ max });
  }

  render(identity: MintIdentity, login: RegistryLogin): string {
    const expiresAt = login.expiresAt.getTime();
    const seen = this.rendered.get(identity);
    if (
      seen !== undefined &&
      seen.password === login.password &&
      seen.expiresAt === expiresAt &&
      seen.registry === login.registry &&
      seen.username === login.username
    )
      return seen.json;
    const json = JSON.stringify(answerOf(login));
    const { registry, username, password } = login;
    this.rendered.set(identity, { registry, username, password, expiresAt, json });
    return json;
  }
}
