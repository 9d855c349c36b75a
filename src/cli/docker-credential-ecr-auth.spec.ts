import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '..');

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

const SHARED = [
  'cli/config-key.ts',
  'cli/helper-config.ts',
  'cli/host-pattern.ts',
  'cli/local-files.ts',
  'cli/service-client.ts',
  'cli/stdio.ts',
  'config/env-reader.ts',
  'config/loopback.ts',
  'errors/ecr-auth.error.ts',
  'errors/error-codes.ts',
  'registry/aws-names.ts',
  'lifetime/lifetime.rule.ts',
  'registry/partition.ts',
  'registry/registry-host.ts',
];

// Both command-line entries: each runs once per pull, so start-up is what they cost.
describe.each([
  {
    entry: 'docker-credential-ecr-auth.ts',
    own: [
      'cli/credential-helper.handler.ts',
      'cli/docker-credential-ecr-auth.ts',
      'cli/package-version.ts',
      'cli/token-file-cache.ts',
    ],
  },
  {
    entry: 'ecr-auth-kubelet-credential-provider.ts',
    own: [
      'cli/ecr-auth-kubelet-credential-provider.ts',
      'cli/image-reference.ts',
      'cli/kubelet-protocol.ts',
      'cli/kubelet-provider.handler.ts',
    ],
  },
])('$entry start-up', ({ entry, own }) => {
  const file = join(__dirname, entry);
  const graph = importGraph(file);

  it('loads Node built-ins only: no framework, no AWS SDK, no zod', () => {
    expect(graph.packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
  });

  it('loads only its own modules, the shared helper modules and the pure registry-host parser', () => {
    expect(graph.files).toEqual([...own, ...SHARED].sort());
  });

  it('starts with a shebang', () => {
    expect(readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
