/** Any value `canonicalJson` can write: JSON values, with `undefined` members dropped. */
export type JsonValue =
  string | number | boolean | null | undefined | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// IAM's conventional order, so documents read as the IAM console and AWS's examples show them.
const IAM_KEYS = [
  'Version',
  'Id',
  'Statement',
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const IAM_RANK = new Map(IAM_KEYS.map((k, i) => [k, i]));

/** Key order: IAM's policy keys in their conventional order first, every other key by code point. */
export function compareKeys(a: string, b: string): number {
  const ra = IAM_RANK.get(a);
  const rb = IAM_RANK.get(b);
  if (ra !== undefined || rb !== undefined)
    return (ra ?? IAM_KEYS.length) - (rb ?? IAM_KEYS.length) || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Serialises a value with a stable key order at every depth (see `compareKeys`), so equal
 * inputs always give the same bytes. Arrays keep their order: the builders put statements
 * and actions in a fixed order. `indent` 0 gives the compact form (session policies).
 *
 * @throws TypeError for values JSON cannot carry (functions, non-finite numbers, cycles).
 */
export function canonicalJson(value: JsonValue, indent = 0): string {
  return write(value, indent, '', new Set());
}

function write(value: JsonValue, indent: number, pad: string, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: cannot write a ${typeof value}`);
  }
  if (seen.has(value)) throw new TypeError('canonicalJson: cyclic value');
  seen.add(value);
  const inner = pad + ' '.repeat(indent);
  const [open, sep, close] = indent > 0 ? [`\n${inner}`, `,\n${inner}`, `\n${pad}`] : ['', ',', ''];
  let out: string;
  if (Array.isArray(value)) {
    const items = (value as readonly JsonValue[]).map((v) =>
      v === undefined ? 'null' : write(v, indent, inner, seen),
    );
    out = items.length === 0 ? '[]' : `[${open}${items.join(sep)}${close}]`;
  } else {
    const record = value as { readonly [key: string]: JsonValue };
    const colon = indent > 0 ? ': ' : ':';
    const members = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort(compareKeys)
      .map((k) => `${JSON.stringify(k)}${colon}${write(record[k], indent, inner, seen)}`);
    out = members.length === 0 ? '{}' : `{${open}${members.join(sep)}${close}}`;
  }
  seen.delete(value);
  return out;
}
