import { EvictionIndex } from './eviction-index';

const T0 = Date.UTC(2030, 0, 1);

function index(maxKeys = 10) {
  let now = T0;
  const dropped: string[] = [];
  const i = new EvictionIndex({ maxKeys, clock: () => now, onDropped: (k) => dropped.push(k) });
  return { i, dropped, at: (ms: number) => void (now = T0 + ms) };
}

describe('eviction index', () => {
  it('finds keys by label until their TTL (the entry store TTL) is over', () => {
    const { i, at } = index();
    i.add('k1', ['role:a', 'registry:x'], 60_000);
    i.add('k2', ['role:a'], 10_000);
    expect(i.keysOf('role:a').sort()).toEqual(['k1', 'k2']);
    at(10_001);
    expect(i.keysOf('role:a')).toEqual(['k1']);
    expect(i.keysOf('registry:x')).toEqual(['k1']);
    at(60_001);
    expect(i.keysOf('role:a')).toEqual([]);
    expect(i.keysOf('registry:x')).toEqual([]);
  });

  it('drops the least recently indexed key past its bound, and says so (its entry must go too)', () => {
    const { i, dropped } = index(2);
    i.add('k1', ['role:a', 'registry:x'], 60_000);
    i.add('k2', ['role:a'], 60_000);
    i.add('k3', ['role:b'], 60_000);
    expect(dropped).toEqual(['k1']);
    expect(i.keysOf('registry:x')).toEqual([]);
    expect(i.keysOf('role:a')).toEqual(['k2']);
  });

  it('does not call a removal or an expiry a drop', () => {
    const { i, dropped, at } = index();
    i.add('k1', ['role:a'], 1000);
    i.add('k2', ['role:a'], 60_000);
    i.remove('k2');
    at(2000);
    expect(i.keysOf('role:a')).toEqual([]);
    expect(dropped).toEqual([]);
    expect(i.size).toBe(0);
  });

  it('adds a label to an indexed key idempotently, keeping the key once under it', () => {
    const { i } = index();
    i.add('k1', ['registry:a'], 60_000);
    expect(i.label('k1', 'registry:b')).toBe('added');
    expect(i.label('k1', 'registry:b')).toBe('known');
    expect(i.keysOf('registry:b')).toEqual(['k1']);
    expect(i.label('unknown', 'registry:b')).toBe('unindexed');
    expect(i.keysOf('registry:b')).toEqual(['k1']);
  });

  it('keeps the labels of a key indexed again, with the new TTL', () => {
    const { i, at } = index();
    i.add('k1', ['registry:a'], 1000);
    i.label('k1', 'registry:b');
    i.add('k1', ['registry:a'], 60_000);
    at(30_000);
    expect(i.keysOf('registry:b')).toEqual(['k1']);
    i.remove('k1');
    expect(i.keysOf('registry:a')).toEqual([]);
    expect(i.keysOf('registry:b')).toEqual([]);
  });
});
