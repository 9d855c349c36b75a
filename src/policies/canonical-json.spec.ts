import { canonicalJson, compareKeys } from './canonical-json';

describe('canonicalJson', () => {
  it('orders keys the same whatever the insertion order', () => {
    const a = { b: 1, a: { y: [1, { d: 2, c: 3 }], x: null } };
    const b = { a: { x: null, y: [1, { c: 3, d: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}');
  });

  it('puts IAM keys in their conventional order, before any other key', () => {
    const doc = {
      Statement: [{ Resource: '*', Condition: {}, Action: 'a', Effect: 'Allow', Sid: 's', Principal: { AWS: 'p' } }],
      Version: 'v',
      zzz: 1,
      Aaa: 2,
    };
    expect(canonicalJson(doc)).toBe(
      '{"Version":"v","Statement":[{"Sid":"s","Effect":"Allow","Principal":{"AWS":"p"},"Action":"a","Resource":"*","Condition":{}}],"Aaa":2,"zzz":1}',
    );
    expect(['b', 'Version', 'a', 'Statement'].sort(compareKeys)).toEqual(['Version', 'Statement', 'a', 'b']);
  });

  it('keeps array order, drops undefined members, writes undefined items as null', () => {
    expect(canonicalJson({ a: [3, 1, 2], b: undefined, c: [undefined] })).toBe('{"a":[3,1,2],"c":[null]}');
  });

  it('indents when asked, empty containers stay on one line', () => {
    expect(canonicalJson({ b: [1], a: {}, c: [] }, 2)).toBe('{\n  "a": {},\n  "b": [\n    1\n  ],\n  "c": []\n}');
  });

  it('escapes strings as JSON does', () => {
    expect(JSON.parse(canonicalJson({ 'k"\n': 'v"\u2028\\' }))).toEqual({ 'k"\n': 'v"\u2028\\' });
  });

  it('refuses what JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ f: (() => 1) as never })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic as never)).toThrow(/cyclic/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
  });
});
