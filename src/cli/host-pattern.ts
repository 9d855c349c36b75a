/**
 * Host patterns of the helper's config file: `*` stands for exactly one DNS label, so
 * `*.dkr.ecr.us-east-1.amazonaws.com` matches `123456789012.dkr.ecr.us-east-1.amazonaws.com`
 * but neither `a.b.dkr.ecr.us-east-1.amazonaws.com` nor `dkr.ecr.us-east-1.amazonaws.com`.
 * Pure, no I/O.
 */

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A validated pattern, lower-case, split into labels. */
export interface HostPattern {
  readonly source: string;
  readonly labels: readonly string[];
  /** Number of `*` labels: fewer is more specific. */
  readonly wildcards: number;
}

/**
 * Parses a pattern: dot-separated labels, each a DNS label or a lone `*`.
 * @returns the pattern, or a reason it is malformed (never throws).
 */
export function parseHostPattern(source: string): HostPattern | string {
  const lower = source.toLowerCase();
  const labels = lower.split('.');
  if (labels.length < 2) return 'a pattern needs at least two labels';
  for (const label of labels) {
    if (label === '*') continue;
    if (/[^a-z0-9*-]/.test(label) || label === '')
      return 'every label must be a DNS label (letters, digits, "-") or "*"; no scheme, port or path';
    if (label.includes('*')) return '"*" must stand alone for a whole label (e.g. *.dkr.ecr.us-east-1.amazonaws.com)';
    if (!LABEL.test(label)) return 'every label must be a DNS label (letters, digits, "-") or "*"';
  }
  const wildcards = labels.filter((l) => l === '*').length;
  if (wildcards === labels.length) return 'a pattern needs at least one label that is not "*"';
  return { source: lower, labels, wildcards };
}

/** Whether `host` (normalised, lower-case) matches the pattern label for label. */
export function matchesHostPattern(pattern: HostPattern, host: string): boolean {
  const labels = host.split('.');
  if (labels.length !== pattern.labels.length) return false;
  return pattern.labels.every((p, i) => p === '*' || p === labels[i]);
}

/**
 * Orders two matching patterns, most specific first: fewer wildcards wins; on a tie, the
 * pattern whose first literal label is further left wins (the account label before the
 * region), so the choice never depends on the order of the file.
 */
export function compareSpecificity(a: HostPattern, b: HostPattern): number {
  if (a.wildcards !== b.wildcards) return a.wildcards - b.wildcards;
  for (let i = 0; i < a.labels.length; i++) {
    const aw = a.labels[i] === '*';
    const bw = b.labels[i] === '*';
    if (aw !== bw) return aw ? 1 : -1;
  }
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/** The most specific pattern matching `host`, if any. */
export function bestPatternFor<T extends HostPattern>(patterns: readonly T[], host: string): T | undefined {
  let best: T | undefined;
  for (const p of patterns) {
    if (matchesHostPattern(p, host) && (!best || compareSpecificity(p, best) < 0)) best = p;
  }
  return best;
}
