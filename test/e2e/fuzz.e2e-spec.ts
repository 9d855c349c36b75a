import { Agent } from 'node:http';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '../../src/errors/error-codes';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import {
  describeRequest,
  evictionBodies,
  FUZZ_SEED,
  type FuzzRequest,
  methodsAndPaths,
  mintFamilies,
  policyQueries,
  verifyBodies,
} from '../fuzz/bodies';
import { type Answer, SAFE_REQUEST_ID, send } from '../fuzz/wire';
import { expectNoSecrets, type Harness, issuedSecrets, startHarness } from './harness';

/**
 * Thousands of generated hostile requests (fixed seed: test/fuzz/bodies.ts) against the running
 * service over real HTTP. Whatever arrives, the answer is 2xx or 4xx, never 5xx; every refusal is
 * the contract's JSON error; the process survives; nothing secret reaches the logs or an error body.
 */

const CONCURRENCY = 16;

/** What is wrong with an answer, or undefined when it follows the rules. */
function violation(r: FuzzRequest, answer: Answer): string | undefined {
  const { status } = answer;
  if (!(status >= 200 && status < 300) && !(status >= 400 && status < 500))
    return `status ${status} (neither 2xx nor 4xx)`;
  if (r.expect && !r.expect.includes(status)) return `status ${status}, expected one of ${r.expect.join(', ')}`;
  const requestId = answer.headers['x-request-id'];
  if (typeof requestId !== 'string' || !SAFE_REQUEST_ID.test(requestId))
    return `x-request-id ${JSON.stringify(requestId)} is not a safe token`;
  if (answer.headers['x-content-type-options'] !== 'nosniff') return 'no X-Content-Type-Options: nosniff';
  if (answer.headers['cache-control'] !== 'no-store')
    return `Cache-Control ${JSON.stringify(answer.headers['cache-control'])}, not no-store`;
  if (r.method === 'HEAD') return undefined;
  let body: any;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return 'the body is not JSON';
  }
  if (status < 300) return undefined;
  if (typeof body?.code !== 'string' || !(ERROR_CODES as readonly string[]).includes(body.code))
    return `code ${JSON.stringify(body?.code)} is not in the catalogue`;
  if (ERROR_CATALOGUE[body.code as ErrorCode].status !== status || body.statusCode !== status)
    return `code ${body.code} / statusCode ${body.statusCode} does not match status ${status}`;
  if (typeof body.message !== 'string' || body.message.trim() === '') return 'no message';
  if (typeof body.requestId !== 'string' || body.requestId === '' || body.requestId !== requestId)
    return `requestId ${JSON.stringify(body.requestId)} is not the x-request-id`;
  return undefined;
}

describe('fuzz: hostile requests against the running service', () => {
  let emu: AwsEmulator;
  let h: Harness;
  let base: URL;
  let agent: Agent;
  const errorBodies: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    // As deployed: the endpoint variable the SDK reads is in the service's environment too.
    h = await startHarness({ emulator: emu, env: { AWS_ENDPOINT_URL: emu.url } });
    base = new URL(h.url);
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  });
  afterAll(async () => {
    agent.destroy();
    await h.close();
    await emu.close();
  });

  /** Sends every request, 16 at a time; returns the rule breaks with their reproducers. */
  async function fuzz(requests: readonly FuzzRequest[]): Promise<string[]> {
    const problems: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++];
        let answer: Answer;
        try {
          answer = await send(base, agent, r);
        } catch (e) {
          problems.push(`[${r.family}] ${(e as Error).message} ← ${describeRequest(r)}`);
          continue;
        } finally {
          sent++;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 400) errorBodies.push(answer.body);
        const problem = violation(r, answer);
        if (problem) problems.push(`[${r.family}] ${problem}: ${answer.body.slice(0, 300)} ← ${describeRequest(r)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return problems.slice(0, 20);
  }

  const families = mintFamilies(FUZZ_SEED);

  it.each(Object.keys(families).map((name) => [name, families[name].length]))(
    'POST /registry-auth: %s (%i requests)',
    async (name) => {
      expect(await fuzz(families[name])).toEqual([]);
    },
  );

  it('DELETE /registry-auth/cache: hostile eviction bodies', async () => {
    expect(await fuzz(evictionBodies(FUZZ_SEED + 20, 200))).toEqual([]);
  });

  it('POST /registry-auth/verify: hostile onboarding checks', async () => {
    expect(await fuzz(verifyBodies(FUZZ_SEED + 21, 150))).toEqual([]);
  });

  it('GET /onboarding/policies: hostile query strings', async () => {
    expect(await fuzz(policyQueries(FUZZ_SEED + 22, 150))).toEqual([]);
  });

  it('other methods and paths: 404 NOT_FOUND in the contract shape, never a crash', async () => {
    expect(await fuzz(methodsAndPaths(FUZZ_SEED + 23, 100))).toEqual([]);
  });

  it('afterwards: the process is alive, over a thousand requests were answered, no secret leaked', async () => {
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    const live = await h.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ status: 'ok' });
    // The service still mints after the storm.
    const ok = await h.post('/registry-auth', {
      registry: WORLD.customer.registry,
      roleArn: WORLD.customer.arn,
      externalId: WORLD.customer.externalId,
    });
    expect(ok.status).toBe(200);
    expectNoSecrets(h.logs, issuedSecrets(emu));
    expectNoSecrets(errorBodies, issuedSecrets(emu));
  });
});
