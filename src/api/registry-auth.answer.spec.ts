import Fastify from 'fastify';
import type { MintIdentity, RegistryLogin } from '../mint/mint.types';
import { parseRegistryHost } from '../registry/registry-host';
import { ANSWER_SCHEMA, ANSWER_TYPE, answerOf, RenderedAnswers } from './registry-auth.answer';

const HOST_A = '111111111111.dkr.ecr.eu-west-1.amazonaws.com';
const HOST_B = '111111111111.dkr.ecr-fips.eu-west-1.amazonaws.com';
const identityFor = (registry: string): MintIdentity => ({
  host: parseRegistryHost(registry),
  key: { kind: 'static', accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'secret-secret-secret' },
});
const login = (registry: string, password: string, expiresAt = 1_800_000_000_000): RegistryLogin => ({
  registry,
  username: 'AWS',
  password,
  expiresAt: new Date(expiresAt),
});

/** The bytes and type Fastify's serializer gives the answer with the route's schema. */
async function schemaSerialized(l: RegistryLogin): Promise<{ body: string; type: string | undefined }> {
  const app = Fastify();
  app.get('/', { schema: { response: { 200: ANSWER_SCHEMA } } }, () => answerOf(l));
  const res = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return { body: res.body, type: res.headers['content-type'] as string | undefined };
}

describe('RenderedAnswers', () => {
  it.each([
    ['a token', 'x'.repeat(1600)],
    ['quotes and backslashes', 'a"b\\c"'.repeat(20)],
    ['control characters', 'a\u0000b\nc\td\u001f'],
    ['a lone surrogate and non-ASCII text', 'é\ud800€𝄞'],
    ['a short escape', '"'],
    ['nothing', ''],
  ])('renders %s byte for byte as the schema serializer does, with its media type', async (_name, password) => {
    const l = login(HOST_A, password);
    const expected = await schemaSerialized(l);
    expect(new RenderedAnswers().render(identityFor(HOST_A), l)).toBe(expected.body);
    expect(ANSWER_TYPE).toBe(expected.type);
  });

  it('renders once per identity and token, anew for a new token or expiry', () => {
    const answers = new RenderedAnswers();
    const identity = identityFor(HOST_A);
    const first = answers.render(identity, login(HOST_A, 'token-1'));
    expect(answers.render(identity, login(HOST_A, 'token-1'))).toBe(first);
    expect(JSON.parse(answers.render(identity, login(HOST_A, 'token-2'))).password).toBe('token-2');
    const later = JSON.parse(answers.render(identity, login(HOST_A, 'token-2', 1_800_000_600_000)));
    expect(later.expiresAt).toBe(new Date(1_800_000_600_000).toISOString());
  });

  it('answers each host of a token with its own registry, never the text of another identity', () => {
    const answers = new RenderedAnswers();
    const a = identityFor(HOST_A);
    const b = identityFor(HOST_B);
    // One token answering for two hosts, asked for alternately.
    for (let i = 0; i < 3; i++) {
      expect(JSON.parse(answers.render(a, login(HOST_A, 'shared'))).registry).toBe(HOST_A);
      expect(JSON.parse(answers.render(b, login(HOST_B, 'shared'))).registry).toBe(HOST_B);
    }
    // Another identity's token never comes out of this identity's text.
    expect(JSON.parse(answers.render(a, login(HOST_A, 'other'))).password).toBe('other');
  });
});
