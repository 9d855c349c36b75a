import { splitTagKeys, tagKeysProblem } from './session-tag-keys';

describe('splitTagKeys', () => {
  it.each([
    [undefined, []],
    ['', []],
    [' , ,', []],
    ['pipeline, team ,cost:center', ['pipeline', 'team', 'cost:center']],
  ])('%j is %j', (raw, keys) => expect(splitTagKeys(raw)).toEqual(keys));
});

describe('tagKeysProblem', () => {
  it.each([
    [[], undefined],
    [['pipeline', 'team', 'cost center', 'a.b/c=d+e-f@g'], undefined],
    [['aws:team'], /each comma-separated key must be/],
    [['AWS:team'], /each comma-separated key must be/],
    [['k'.repeat(129)], /each comma-separated key must be/],
    [['team', 'TEAM'], /lists a key twice/],
    [Array.from({ length: 51 }, (_, i) => `k${i}`), /more than 50 keys/],
  ])('%j: %s', (keys, problem) => {
    if (problem === undefined) expect(tagKeysProblem(keys)).toBeUndefined();
    else expect(tagKeysProblem(keys)).toMatch(problem);
  });

  it('never names a key', () => {
    expect(tagKeysProblem(['secret-looking-key', 'aws:x'])).not.toMatch(/secret-looking|aws:x/);
  });
});
