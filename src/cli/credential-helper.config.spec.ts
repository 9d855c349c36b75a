import { NOT_FOUND } from './credential-helper.handler';
import {
  BASE_ENV,
  cachedWith,
  type Case,
  CONFIG,
  expectCase,
  EXT,
  HOST,
  MIN,
  ok,
  refusal,
  ROLE,
} from '../../test/fixtures/credential-helper-cases';

const cases: Case[] = [
  {
    name: 'get: the config file: exact host beats a pattern and the env default',
    input: HOST,
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        registries: {
          [HOST]: { roleArn: 'arn:aws:iam::222222222222:role/exact', externalId: 'e1' },
          '*.dkr.ecr.eu-west-1.amazonaws.com': { roleArn: 'arn:aws:iam::222222222222:role/pattern' },
        },
      }),
    },
    check: ([call]) =>
      expect(JSON.parse(call.body)).toEqual({
        registry: HOST,
        roleArn: 'arn:aws:iam::222222222222:role/exact',
        externalId: 'e1',
      }),
  },
  {
    name: 'get: the config file: a pattern with access, url and token from the file',
    input: HOST,
    env: { HOME: '/home/u' },
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        url: 'https://svc.example/base/',
        token: 'file-token',
        registries: { '*.dkr.ecr.eu-west-1.amazonaws.com': { roleArn: ROLE, externalId: 'e2', access: 'pull' } },
      }),
    },
    check: ([call]) => {
      expect(call.url.href).toBe('https://svc.example/base/registry-auth');
      expect(call.token).toBe('file-token');
      expect(JSON.parse(call.body)).toEqual({ registry: HOST, roleArn: ROLE, externalId: 'e2', access: 'pull' });
    },
  },
  {
    name: 'get: the config file: sessionTags and repositories go to the service as they are',
    input: HOST,
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        registries: {
          [HOST]: {
            roleArn: ROLE,
            externalId: EXT,
            access: 'push',
            sessionTags: { team: 'web', pipeline: 'nightly' },
            repositories: ['team/app', 'team/base-*'],
          },
        },
      }),
    },
    check: ([call]) =>
      expect(JSON.parse(call.body)).toEqual({
        registry: HOST,
        roleArn: ROLE,
        externalId: EXT,
        access: 'push',
        sessionTags: { team: 'web', pipeline: 'nightly' },
        repositories: ['team/app', 'team/base-*'],
      }),
  },
  {
    name: "get: tags the service refuses: its 400 and message, the build fails (they are the service's to judge)",
    input: HOST,
    answers: [
      refusal(
        400,
        'INVALID_REQUEST',
        'sessionTags: only the keys pipeline, team are allowed (ECR_AUTH_SESSION_TAG_KEYS).',
      ),
    ],
    exitCode: 1,
    stdout:
      'ecr-auth: INVALID_REQUEST: sessionTags: only the keys pipeline, team are allowed (ECR_AUTH_SESSION_TAG_KEYS). (request id req-1)\n',
    files: {
      [CONFIG]: JSON.stringify({ registries: { [HOST]: { roleArn: ROLE, sessionTags: { owner: 'x' } } } }),
    },
    check: ([call]) => expect(JSON.parse(call.body).sessionTags).toEqual({ owner: 'x' }),
  },
  {
    name: 'get: a token cached for other tags is not served: other tags are another session',
    input: HOST,
    // Cached for the same role and external ID without tags.
    cache: cachedWith(30 * MIN),
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
    files: {
      [CONFIG]: JSON.stringify({
        registries: { [HOST]: { roleArn: ROLE, externalId: EXT, sessionTags: { team: 'web' } } },
      }),
    },
  },
  {
    name: 'get: a malformed config file is named',
    input: HOST,
    files: { [CONFIG]: '{"url": ' },
    exitCode: 1,
    stdout: new RegExp(`^ecr-auth: configuration problem \\(${CONFIG}\\): ${CONFIG} is not valid JSON`),
  },
  {
    name: 'get: a malformed config file does not matter for a non-ECR host',
    input: 'ghcr.io',
    files: { [CONFIG]: '{' },
    exitCode: 1,
    stdout: `${NOT_FOUND}\n`,
  },
  {
    name: 'get: a plain-HTTP service URL off loopback is refused',
    input: HOST,
    env: { ...BASE_ENV, ECR_AUTH_URL: 'http://ecr-auth.internal' },
    exitCode: 1,
    stdout: /plain http:\/\/ to ecr-auth\.internal.*ECR_AUTH_ALLOW_INSECURE=true/,
  },
  {
    name: 'get: plain HTTP is allowed when insecure is allowed',
    input: HOST,
    env: { ...BASE_ENV, ECR_AUTH_URL: 'http://ecr-auth.internal', ECR_AUTH_ALLOW_INSECURE: 'true' },
    answers: [ok()],
    exitCode: 0,
    stdout: /"Secret":"fresh-secret"/,
  },
  {
    name: 'list: exact hosts of the file, normalised',
    verb: 'list',
    files: {
      [CONFIG]: JSON.stringify({
        registries: {
          [`https://${HOST.toUpperCase()}/`]: { roleArn: ROLE },
          '*.dkr.ecr.us-east-1.amazonaws.com': { roleArn: ROLE },
          'public.ecr.aws': { roleArn: ROLE },
        },
      }),
    },
    exitCode: 0,
    stdout: `{"${HOST}":"AWS","public.ecr.aws":"AWS"}\n`,
  },
  { name: 'list: no config file is an empty object', verb: 'list', exitCode: 0, stdout: '{}\n' },
  {
    name: 'list: a malformed config file is named',
    verb: 'list',
    files: { [CONFIG]: '[]' },
    exitCode: 1,
    stdout: new RegExp(`${CONFIG} must hold a JSON object`),
  },
  {
    name: 'store: not implemented',
    verb: 'store',
    input: `{"ServerURL":"${HOST}","Username":"AWS","Secret":"s3cr3t"}`,
    exitCode: 1,
    stdout: 'not implemented\n',
  },
  { name: 'erase: not implemented', verb: 'erase', input: HOST, exitCode: 1, stdout: 'not implemented\n' },
  { name: 'version: the package version', verb: 'version', exitCode: 0, stdout: 'docker-credential-ecr-auth 9.9.9\n' },
  {
    name: 'an unknown verb: the usage',
    verb: 'gett',
    exitCode: 1,
    stdout: /^Usage: docker-credential-ecr-auth <get\|list\|store\|erase\|version>\n$/,
  },
];

describe('handle(verb, input, deps)', () => {
  it.each(cases)('$name', (c) => expectCase(c));
});
