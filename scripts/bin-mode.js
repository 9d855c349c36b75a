#!/usr/bin/env node
'use strict';
/**
 * After a build: every `bin` file of package.json mode 755. The build recreates dist/, and a
 * checkout installed with `npm install -g .` (a link to dist/) would otherwise lose its
 * executables at the next rebuild ("Permission denied", exit 126).
 */
const { chmodSync, existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// The package root: this checkout, or the one given (the packaging test uses a copy).
const root = process.argv[2] ?? join(__dirname, '..');
const { bin = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = [];
for (const [name, file] of Object.entries(bin)) {
  const path = join(root, file);
  if (existsSync(path)) chmodSync(path, 0o755);
  else missing.push(`${name} (${file})`);
}
if (missing.length > 0) {
  console.error(`bin files missing after the build: ${missing.join(', ')}`);
  process.exit(1);
}
