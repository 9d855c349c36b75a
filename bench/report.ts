import { cpus, totalmem, type as osType, release } from 'node:os';
import type { BenchSection } from './section';

export function machine(): string[] {
  const c = cpus();
  return [
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- CPU: ${c[0]?.model ?? 'unknown'} × ${c.length}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- OS: ${osType()} ${release()}`,
    `- Node.js: ${process.version}`,
  ];
}

export function markdownTable(s: BenchSection): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(s.columns), line(s.columns.map(() => '---')), ...s.rows.map(line)].join('\n');
}

export function textTable(s: BenchSection): string {
  const all = [s.columns, ...s.rows].map((r) => r.map(String));
  const widths = s.columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}
