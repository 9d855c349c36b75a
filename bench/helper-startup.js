#!/usr/bin/env node
'use strict';
/**
 * Start-up cost of the built credential helper: N warm `get`s (answered from the file cache,
 * no network) against `node -e 0`, each a fresh process via spawnSync; the same for the
 * standalone executable (dist/sea, when built) and, when installed, the Go helper
 * docker-credential-ecr-login (its `version`: it has no cache of ours to answer from). Prints
 * the medians and ratios. Run after `nest build` (and `npm run build:sea` for the standalone
 * rows): node bench/helper-startup.js [N] [--json]
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, existsSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const runsAt = args.indexOf('--runs');
const N = Number(runsAt >= 0 ? args[runsAt + 1] : (args.find((a) => /^\d+$/.test(a)) ?? 30));
const ROOT = join(__dirname, '..');
const HELPER = join(ROOT, 'dist', 'cli', 'docker-credential-ecr-auth.js');
const SEA = join(ROOT, 'dist', 'sea', 'docker-credential-ecr-auth');
const GO_HELPER = 'docker-credential-ecr-login';
if (!existsSync(HELPER)) {
  console.error(`${HELPER} is missing: run nest build first`);
  process.exit(1);
}
const { loadHelperConfig, keyFor } = require(join(ROOT, 'dist', 'cli', 'helper-config.js'));
const { cacheKeyOf, cacheDirOf, TokenFileCache } = require(join(ROOT, 'dist', 'cli', 'token-file-cache.js'));

const REGISTRY = '222222222222.dkr.ecr.eu-west-1.amazonaws.com';
const SECRET = 'bench-secret-not-a-real-token';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Median wall time of each case, run round-robin (one run of each, N times over) so that load
 * from elsewhere on the machine weighs on every case alike.
 */
function timeAll(cases) {
  const samples = cases.map(() => []);
  for (let i = 0; i < N; i++) {
    cases.forEach(({ command, args, options, check }, c) => {
      const t = process.hrtime.bigint();
      const r = spawnSync(command, args, options);
      samples[c].push(Number(process.hrtime.bigint() - t) / 1e6);
      check(r);
    });
  }
  return samples.map(median);
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'ecr-auth-bench-'));
  try {
    // A service URL that cannot resolve: any network call would fail the run.
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      ECR_AUTH_URL: 'https://ecr-auth.invalid',
      ECR_AUTH_TOKEN: 'bench-api-token',
      ECR_AUTH_ROLE_ARN: 'arn:aws:iam::222222222222:role/ecr-pull',
      ECR_AUTH_EXTERNAL_ID: 'bench-external-id',
    };
    const config = await loadHelperConfig(env, home, async () => undefined);
    const key = cacheKeyOf(config.endpoint.href, REGISTRY, keyFor(config, REGISTRY), config.token);
    await new TokenFileCache(cacheDirOf(env, home)).write(key, {
      password: SECRET,
      expiresAtMs: Date.now() + 3600_000,
    });

    const options = { env, input: `${REGISTRY}\n`, encoding: 'utf8' };
    const warmGet = (r) => {
      if (r.status !== 0 || JSON.parse(r.stdout).Secret !== SECRET) throw new Error(`warm get failed: ${r.stdout}`);
    };
    const exitsZero = (what) => (r) => {
      if (r.status !== 0) throw new Error(`${what} failed: ${r.stdout}${r.stderr}`);
    };
    const cases = [
      {
        name: 'node -e 0',
        command: process.execPath,
        args: ['-e', '0'],
        options: { env },
        check: exitsZero('node -e 0'),
      },
      {
        name: 'node dist/cli/docker-credential-ecr-auth.js get (warm file cache)',
        command: process.execPath,
        args: [HELPER, 'get'],
        options,
        check: warmGet,
      },
    ];
    let seaBytes;
    if (existsSync(SEA)) {
      seaBytes = statSync(SEA).size;
      cases.push({
        name: 'dist/sea/docker-credential-ecr-auth get (warm file cache)',
        command: SEA,
        args: ['get'],
        options,
        check: warmGet,
      });
      cases.push({
        name: 'dist/sea/docker-credential-ecr-auth version',
        command: SEA,
        args: ['version'],
        options: { env },
        check: exitsZero('sea version'),
      });
    }
    let goVersion;
    const go = spawnSync(GO_HELPER, ['version'], { env, encoding: 'utf8' });
    if (!go.error && go.status === 0) {
      goVersion = go.stdout.trim();
      cases.push({
        name: `${GO_HELPER} version (Go, ${goVersion})`,
        command: GO_HELPER,
        args: ['version'],
        options: { env },
        check: exitsZero(GO_HELPER),
      });
    }
    const medians = timeAll(cases);
    const rows = cases.map((c, i) => ({ command: c.name, ms: medians[i] }));
    const [nodeMs, helperMs] = medians;
    for (const row of rows) row.ratio = row.ms / nodeMs;
    if (JSON_OUT) {
      process.stdout.write(
        JSON.stringify({
          runs: N,
          node: process.version,
          nodeMs,
          helperMs,
          ratio: helperMs / nodeMs,
          rows,
          seaBytes,
          goVersion,
        }) + '\n',
      );
      return;
    }
    console.log(`node ${process.version}, N=${N}`);
    for (const row of rows)
      console.log(`${row.command.padEnd(70)} median ${row.ms.toFixed(1).padStart(6)} ms  ${row.ratio.toFixed(2)}x`);
    if (seaBytes) console.log(`standalone executable: ${(seaBytes / 2 ** 20).toFixed(1)} MiB`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
