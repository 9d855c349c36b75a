import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { call } from './http-call';
import { AwsEmulator } from '../test/emulator/aws-emulator';
import { startHarness } from '../test/e2e/harness';
import { seedWorld, WORLD } from '../test/fixtures/aws-world';
import type { BenchSection } from './section';

/**
 * Memory of the in-process token cache: heap and RSS per cached login, with ECR passwords of
 * a realistic size. 10,000 (by default) distinct static-key identities (no STS) are cached, then evicted
 * with one DELETE (they share one registry host); the heap freed by the eviction is the
 * cache's own share, whatever else the process (emulator included) holds.
 * Service, emulator and client run in this process: node --expose-gc for exact readings.
 */

const DEFAULT_ENTRIES = 10_000;
/** ECR password length (the part after `AWS:`); real ones are ~2 KB. */
const DEFAULT_SECRET_LENGTH = 2000;
const CONCURRENCY = 32;
const WARM_HITS = 300;
const WARM_MISSES = 200;
const ACCOUNT = '777777777777';
const REGISTRY = `${ACCOUNT}.dkr.ecr.${WORLD.region}.amazonaws.com`;
const WARM_REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com`;

interface User {
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * A flat copy of a string. Concatenations are V8 cons strings, flattened (a new allocation)
 * the first time they are hashed or read: that must happen before the baseline, not during it.
 */
const flat = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');

/** `AKIA` + 16 upper-case alphanumerics, and a 40-character secret. */
function users(n: number, tag: string): User[] {
  return Array.from({ length: n }, (_, i) => ({
    arn: flat(`arn:aws:iam::${ACCOUNT}:user/bench-${tag}-${i}`),
    accessKeyId: flat(`AKIA${tag}${String(i).padStart(16 - tag.length, '0')}`),
    secretAccessKey: randomBytes(30).toString('base64'),
  }));
}

/** Runs `task(i)` for i < n with at most `concurrency` at once; returns the number of non-200s. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<number>): Promise<number> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      while (next < n) {
        const status = await task(next++);
        if (status !== 200) failed++;
      }
    }),
  );
  return failed;
}

const staticBody = (u: User, registry: string) => ({
  registry,
  accessKeyId: u.accessKeyId,
  secretAccessKey: u.secretAccessKey,
});

interface Reading {
  heapUsed: number;
  rss: number;
  external: number;
}

const hasGc = typeof globalThis.gc === 'function';

/** Full collections until the heap stops shrinking (at most 10), then a reading. */
async function settle(): Promise<Reading> {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setImmediate(r));
    globalThis.gc?.();
    const used = process.memoryUsage().heapUsed;
    if (i >= 3 && Math.abs(last - used) < 64 * 1024) break;
    last = used;
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external };
}

export async function run(o: { entries?: number; secretLength?: number } = {}): Promise<BenchSection> {
  const ENTRIES = o.entries ?? DEFAULT_ENTRIES;
  const SECRET_LENGTH = o.secretLength ?? DEFAULT_SECRET_LENGTH;
  // historyLimit: the emulator keeps only its last 16 calls and issued tokens, so it does not grow.
  const emu = await AwsEmulator.start({ ecrSecretLength: SECRET_LENGTH, historyLimit: 16 });
  seedWorld(emu);
  const warmHit = users(1, 'WARMHIT')[0];
  const warmMisses = users(WARM_MISSES, 'WARM');
  const fill = users(ENTRIES, 'BENCH');
  for (const u of [warmHit, ...warmMisses, ...fill]) emu.addUser(u);
  // LOG_LEVEL warn: the harness keeps every log line in memory, which would be counted.
  const h = await startHarness({
    emulator: emu,
    env: { LOG_LEVEL: 'warn', ECR_AUTH_CACHE_MAX_ENTRIES: String(2 * ENTRIES) },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (body: unknown) => call(agent, h.url, 'POST', '/registry-auth', body);
  try {
    // Warm-up: the hit path (one key, many times) and the miss path (distinct keys, another
    // registry host), then evict the warm-up entries: the baseline holds an empty cache.
    const warmFailed =
      (await pool(WARM_HITS, CONCURRENCY, async () => (await post(staticBody(warmHit, WARM_REGISTRY))).status)) +
      (await pool(
        WARM_MISSES,
        CONCURRENCY,
        async (i) => (await post(staticBody(warmMisses[i], WARM_REGISTRY))).status,
      ));
    const warmEvicted = await call(agent, h.url, 'DELETE', '/registry-auth/cache', { registry: WARM_REGISTRY });
    if (warmFailed > 0 || warmEvicted.status !== 200)
      throw new Error(`warm-up failed: ${warmFailed} requests, eviction ${warmEvicted.status}`);

    const baseline = await settle();
    const started = performance.now();
    const fillFailed = await pool(
      ENTRIES,
      CONCURRENCY,
      async (i) => (await post(staticBody(fill[i], REGISTRY))).status,
    );
    const fillMs = performance.now() - started;
    if (fillFailed > 0) throw new Error(`${fillFailed} of ${ENTRIES} fill requests failed`);
    const filled = await settle();

    // 200 keys spread over the fill, asked again, must all be answered from the cache (no ECR call).
    emu.clearCalls();
    const sample = Array.from({ length: 200 }, (_, k) => fill[Math.floor((k * ENTRIES) / 200)]);
    const replayFailed = await pool(
      sample.length,
      CONCURRENCY,
      async (i) => (await post(staticBody(sample[i], REGISTRY))).status,
    );
    const replayEcrCalls = emu.callsOf('ecr').length;

    const evicted = await call(agent, h.url, 'DELETE', '/registry-auth/cache', { registry: REGISTRY });
    const evictedCount = Number((JSON.parse(evicted.text) as { evicted?: number }).evicted);
    const afterEviction = await settle();
    const emulatorTokensHeld = emu.issuedEcrSecrets().length;

    const n = ENTRIES;
    const per = (bytes: number) => Math.round(bytes / n);
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    const heapGrowth = filled.heapUsed - baseline.heapUsed;
    const rssGrowth = filled.rss - baseline.rss;
    const cacheShare = filled.heapUsed - afterEviction.heapUsed;
    const leftOver = afterEviction.heapUsed - baseline.heapUsed;
    const rows: Array<Array<string | number>> = [
      ['entries cached', n, ''],
      ['ECR password (the token bytes an entry must hold)', `${mb(n * SECRET_LENGTH)} MiB`, SECRET_LENGTH],
      [`heap growth, baseline → ${n.toLocaleString('en-US')} cached`, `${mb(heapGrowth)} MiB`, per(heapGrowth)],
      [`RSS growth, baseline → ${n.toLocaleString('en-US')} cached`, `${mb(rssGrowth)} MiB`, per(rssGrowth)],
      ["heap freed by evicting them (the cache's share)", `${mb(cacheShare)} MiB`, per(cacheShare)],
      [
        "cache's share beyond the password's own bytes (goal ≤ 1024)",
        `${mb(cacheShare - n * SECRET_LENGTH)} MiB`,
        per(cacheShare) - SECRET_LENGTH,
      ],
      ['heap still held after eviction (not the cache)', `${mb(leftOver)} MiB`, per(leftOver)],
      [
        'RSS after eviction, over baseline',
        `${mb(afterEviction.rss - baseline.rss)} MiB`,
        per(afterEviction.rss - baseline.rss),
      ],
    ];
    const notes = [
      `${n} distinct static access keys (no STS: one GetAuthorizationToken each), one registry host, POSTed ${CONCURRENCY} at a time over keep-alive HTTP in ${(fillMs / 1000).toFixed(1)} s; ECR_AUTH_CACHE_MAX_ENTRIES=${2 * n}. Service, emulator and client share this process.`,
      `Readings after full collections (global.gc until the heap stops shrinking)${hasGc ? '' : ' — global.gc IS NOT AVAILABLE (run node with --expose-gc): the readings include garbage and are not meaningful'}. Baseline after a warm-up of ${WARM_HITS} requests of one key and ${WARM_MISSES} distinct keys on another registry, then evicted.`,
      `The ECR token is base64 of "AWS:" + a ${SECRET_LENGTH}-character password (${Math.ceil((SECRET_LENGTH + 4) / 3) * 4} characters on the wire); the cache keeps the decoded pair. V8 stores ASCII strings as one byte per character.`,
      `Eviction: one DELETE /registry-auth/cache {registry} answered evicted=${evictedCount}; before it, ${sample.length} replayed keys were all answered from the cache (${replayEcrCalls} ECR calls, ${replayFailed} failed). The emulator holds ${emulatorTokensHeld} issued tokens (historyLimit 16) and its ${(1 + WARM_MISSES + n).toLocaleString('en-US')} users were registered before the baseline, so its growth is not counted.`,
      `The heap freed by eviction is the cache's share: the key's one record (the entry: password, username, expiry; its labels; refresh-ahead's state) and its HMAC key in the LRU. RSS does not come back after a collection (V8 keeps its pages), so RSS per entry is an upper bound that includes the garbage of ${n} requests.`,
      `The heap still held after eviction is not per entry: it stays about 1 MiB whether 10,000 or 20,000 entries were cached (code compiled and pools grown during the fill; try \`node --expose-gc .bench/bench/memory.js 20000\`). External memory (Buffers) moved by ${mb(filled.external - baseline.external)} MiB during the fill.`,
    ];
    if (evictedCount !== n) notes.push(`UNEXPECTED: the eviction answered ${evictedCount}, not ${n}.`);
    if (replayEcrCalls > 0) notes.push(`UNEXPECTED: ${replayEcrCalls} replayed keys were not in the cache.`);
    // Keep the identities alive until every reading is taken, so their collection is not counted.
    if (fill.length + warmMisses.length !== ENTRIES + WARM_MISSES) throw new Error('unreachable');
    return { title: 'Memory of the token cache', columns: ['quantity', 'total', 'bytes per entry'], rows, notes };
  } finally {
    agent.destroy();
    await h.close();
    await emu.close();
  }
}

if (require.main === module) {
  // node --expose-gc memory.js [entries] [password length]
  const [entries, secretLength] = process.argv.slice(2).map(Number);
  run({ entries: entries || undefined, secretLength: secretLength || undefined }).then(
    (s) => process.stdout.write(`${JSON.stringify(s, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
