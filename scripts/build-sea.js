#!/usr/bin/env node
'use strict';
/**
 * `npm run build:sea` (after the build): the node-side CLIs as standalone executables in
 * dist/sea/, Node's single executable applications, for build and Kubernetes nodes without
 * Node.js. Each: the compiled CLI bundled to one CommonJS file (esbuild; a SEA's main can
 * require built-ins only), a preparation blob with V8's code cache (start-up close to
 * `node -e 0`), injected into a copy of the running node binary (postject).
 *
 * Every `bin` of package.json except the operator CLI `ecr-auth` (it runs where the checkout
 * is); a bin whose compiled file is missing is skipped, saying so. Names given as arguments
 * restrict the list: node scripts/build-sea.js docker-credential-ecr-auth
 */
const { execFileSync } = require('node:child_process');
const { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const esbuild = require('esbuild');
const { inject } = require('postject');

/** Node's fixed sentinel: the binary checks it to find an injected application. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Not standalone: the operator CLI runs on a machine with the checkout or the package. */
const NOT_STANDALONE = new Set(['ecr-auth']);

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'dist', 'sea');
const work = join(out, '.work');

async function build(name, file) {
  const bundle = join(work, `${name}.js`);
  await esbuild.build({
    entryPoints: [join(root, file)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // import() of a built-in (the service client's lazy node:https) becomes require(): a
    // SEA's main has no loader for dynamic imports.
    supported: { 'dynamic-import': false },
    // The version has no package.json to be read from inside the executable.
    define: { __ECR_AUTH_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  // A SEA's main is run as a CommonJS function body: a shebang line there is a syntax error.
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/^#!.*\n/, ''));

  const blob = join(work, `${name}.blob`);
  const config = join(work, `${name}.sea-config.json`);
  writeFileSync(
    config,
    JSON.stringify({ main: bundle, output: blob, useCodeCache: true, disableExperimentalSEAWarning: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });

  const target = join(out, name);
  rmSync(target, { force: true });
  copyFileSync(process.execPath, target);
  chmodSync(target, 0o755);
  // postject warns "Can't find string offset for section name '.note.100'" on Linux: harmless.
  const warn = console.warn;
  console.warn = () => {};
  try {
    await inject(target, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  } finally {
    console.warn = warn;
  }
  return target;
}

async function main() {
  const only = new Set(process.argv.slice(2));
  const bins = Object.entries(pkg.bin ?? {}).filter(
    ([name]) => !NOT_STANDALONE.has(name) && (only.size === 0 || only.has(name)),
  );
  mkdirSync(work, { recursive: true });
  try {
    for (const [name, file] of bins) {
      if (!existsSync(join(root, file))) {
        console.log(`build:sea: ${name} skipped: ${file} is not built`);
        continue;
      }
      const target = await build(name, file);
      console.log(`build:sea: ${target.slice(root.length + 1)} (Node ${process.version})`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`build:sea failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
