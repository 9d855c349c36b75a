import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '..');
const ENTRY = join(__dirname, 'docker-credential-ecr-auth.ts');

/** Every module the entry loads, transitively: files of src/ and bare specifiers. */
function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) visit(resolve(dirname(file), `${spec}.ts`));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(SRC, f)).sort(), packages: [...packages].sort() };
}

describe('docker-credential-ecr-auth start-up', () => {
  const graph = importGraph(ENTRY);

  it('loads Node built-ins only: no framework, no AWS SDK, no zod', () => {
    expect(graph.packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
  });

  it('loads only the helper and the pure registry-host parser', () => {
    expect(graph.files).toEqual([
      'cli/credential-helper.handler.ts',
      'cli/docker-credential-ecr-auth.ts',
      'cli/helper-config.ts',
      'cli/host-pattern.ts',
      'cli/package-version.ts',
      'cli/service-client.ts',
      'cli/token-file-cache.ts',
      'errors/ecr-auth.error.ts',
      'errors/error-codes.ts',
      'registry/partition.ts',
      'registry/registry-host.ts',
    ]);
  });

  it('starts with a shebang', () => {
    expect(readFileSync(ENTRY, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
