#!/usr/bin/env node
'use strict';
/**
 * Start-up cost of the built credential helper: N warm `get`s (answered from the file cache,
 * no network) against `node -e 0`, each a fresh process via spawnSync. Prints both medians and
 * the ratio. Run after `nest build`: node bench/helper-startup.js [N] [--json]
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, existsSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const runsAt = args.indexOf('--runs');
const N = Number(runsAt >= 0 ? args[runsAt + 1] : (args.find((a) => /^\d+$/.test(a)) ?? 30));
const ROOT = join(__dirname, '..');
const HELPER = join(ROOT, 'dist', 'cli', 'docker-credential-ecr-auth.js');
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

function time(command, args, options, check) {
  const samples = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(command, args, options);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    check(r);
  }
  return median(samples);
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
    const helperMs = time(process.execPath, [HELPER, 'get'], options, (r) => {
      if (r.status !== 0 || JSON.parse(r.stdout).Secret !== SECRET) throw new Error(`warm get failed: ${r.stdout}`);
    });
    const nodeMs = time(process.execPath, ['-e', '0'], { env }, (r) => {
      if (r.status !== 0) throw new Error('node -e 0 failed');
    });
    if (JSON_OUT) {
      process.stdout.write(JSON.stringify({ runs: N, nodeMs, helperMs, ratio: helperMs / nodeMs }) + '\n');
      return;
    }
    console.log(`node ${process.version}, N=${N}`);
    console.log(`node -e 0            median ${nodeMs.toFixed(1)} ms`);
    console.log(`helper get (warm)    median ${helperMs.toFixed(1)} ms`);
    console.log(`ratio                ${(helperMs / nodeMs).toFixed(2)}x`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
