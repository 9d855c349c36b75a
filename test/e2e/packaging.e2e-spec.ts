import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BIN_MODE = join(ROOT, 'scripts', 'bin-mode.js');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

/** The package's `bin` files stay executable across rebuilds (the build recreates dist/). */
describe('bin files', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ecr-auth-bin-mode-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('the build ends with the step that makes them executable, and every other build goes through it', () => {
    expect(PKG.scripts.build).toMatch(/&& node scripts\/bin-mode\.js$/);
    for (const [name, script] of Object.entries(PKG.scripts))
      if (name !== 'build') expect(script).not.toMatch(/(^|&& )nest build/);
  });

  it('that step sets every bin file of package.json to mode 755', () => {
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ bin: PKG.bin }));
    for (const file of Object.values(PKG.bin)) {
      mkdirSync(join(tmp, file, '..'), { recursive: true });
      writeFileSync(join(tmp, file), '#!/usr/bin/env node\n', { mode: 0o644 });
    }
    const r = spawnSync(process.execPath, [BIN_MODE, tmp], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const file of Object.values(PKG.bin)) expect(statSync(join(tmp, file)).mode & 0o777).toBe(0o755);
  });

  it('and fails, naming it, when a bin file was not built', () => {
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ bin: { 'some-cli': 'dist/cli/some-cli.js' } }));
    const r = spawnSync(process.execPath, [BIN_MODE, tmp], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('some-cli (dist/cli/some-cli.js)');
  });
});
