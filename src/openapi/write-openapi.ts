import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiJson } from './openapi.document';

/**
 * Writes docs/openapi.json from the code (`npm run openapi`); with `--check`, exits 1 when
 * the file is out of date instead.
 */
function main(argv: readonly string[]): number {
  const file = join(__dirname, '..', '..', 'docs', 'openapi.json');
  const text = openApiJson();
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current === text) return 0;
    process.stderr.write('docs/openapi.json is out of date: run npm run openapi\n');
    return 1;
  }
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
