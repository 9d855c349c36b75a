/**
 * Generators of hostile requests for the fuzz suite (test/e2e/fuzz.e2e-spec.ts). Every family
 * is built from a fixed seed, so a run is reproducible: the same requests, in the same order,
 * every time. Nothing here talks to the network.
 *
 * The families live by kind next to this index: key-field-bodies (the contract's fields),
 * json-text-bodies (JSON written as text), raw-bodies (sizes, encodings), headers, other-routes;
 * hostile-values and fuzz-request are what they share. Here: the families that replay others,
 * and the set for POST /registry-auth.
 */
import { FUZZ_SEED, FuzzRequest, int, pick, prng } from './fuzz-request';
import { badAuthorizations, contentTypes, headerTricks } from './headers';
import { deepNesting, duplicateKeys, emptyBodies, hugeNumbers, malformedJson, prototypeKeys } from './json-text-bodies';
import { contractFieldBodies, jsonValueBodies, nearValidBodies, registryTricks } from './key-field-bodies';
import { invalidUtf8, longStrings } from './raw-bodies';

export { BODY_LIMIT, CONTRACT_FIELDS, describeRequest, FUZZ_SEED, prng } from './fuzz-request';
export type { FuzzRequest } from './fuzz-request';
export { TRICK_STRINGS } from './hostile-values';
export * from './headers';
export * from './json-text-bodies';
export * from './key-field-bodies';
export * from './other-routes';
export * from './raw-bodies';

/** Requests of other families sent again with Transfer-Encoding: chunked, cut at random points. */
export function chunked(from: readonly FuzzRequest[], seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const candidates = from.filter((r) => r.body !== undefined && r.body.length > 0 && r.chunks === undefined);
  return Array.from({ length: Math.min(n, candidates.length) }, () => {
    const r = pick(rnd, candidates);
    return { ...r, family: `chunked(${r.family})`, chunks: 2 + int(rnd, Math.min(20, r.body!.length)) };
  });
}

/** Hostile bodies without a valid token: 401 before any body is looked at. */
export function unauthenticated(from: readonly FuzzRequest[], seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const auths = [null, ...badAuthorizations()];
  return Array.from({ length: n }, (_, i) => {
    const r = pick(rnd, from);
    return { ...r, family: `unauthenticated(${r.family})`, authorization: auths[i % auths.length], expect: [401] };
  });
}

/** Every family for POST /registry-auth, from the fixed seed. */
export function mintFamilies(seed = FUZZ_SEED): Record<string, FuzzRequest[]> {
  const families: Record<string, FuzzRequest[]> = {
    'json-value': jsonValueBodies(seed + 1, 300),
    'contract-fields': contractFieldBodies(seed + 2, 450),
    'near-valid': nearValidBodies(seed + 3, 450),
    'registry-tricks': registryTricks(seed + 4, 260),
    'deep-nesting': deepNesting(),
    'long-strings': longStrings(),
    'invalid-utf8': invalidUtf8(seed + 5, 200),
    'prototype-keys': prototypeKeys(),
    'huge-numbers': hugeNumbers(),
    'duplicate-keys': duplicateKeys(),
    'content-types': contentTypes(),
    'malformed-json': malformedJson(seed + 6, 160),
    'empty-body': emptyBodies(),
    headers: headerTricks(seed + 7, 120),
  };
  const all = Object.values(families).flat();
  families.chunked = chunked(all, seed + 8, 120);
  families.unauthenticated = unauthenticated(all, seed + 9, 150);
  return families;
}
