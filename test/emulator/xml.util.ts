/** Minimal XML text helpers for STS answers. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes text for an XML element. */
export function xmlEscape(s: string): string {
  return s.replace(/[&<>]/g, (c) => ESCAPES[c]);
}

/** `<name>escaped text</name>` */
export function el(name: string, text: string): string {
  return `<${name}>${xmlEscape(text)}</${name}>`;
}

/** An ISO-8601 timestamp without milliseconds, as STS writes them. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
