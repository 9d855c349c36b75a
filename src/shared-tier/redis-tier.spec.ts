import { randomBytes, randomUUID } from 'node:crypto';
import { LOGIN, redisTiers } from '../../test/fixtures/redis-tiers';
import { until } from '../../test/fixtures/wait';

/** Values and eviction, against the real Redis (see redisTiers). Connection states: redis-connection.spec.ts. */
describe('RedisTier', () => {
  const { prefix: PREFIX, keys: KEYS, raw, tier, key, logs } = redisTiers();

  it('answers what it stored, to itself and to another replica', async () => {
    const a = tier();
    const b = tier();
    expect(await a.whenReady()).toBe(true);
    expect(a.state()).toBe('up');
    const k = key();
    void a.set(k, LOGIN, 60_000, ['role:arn:aws:iam::222222222222:role/ecr-pull']);
    await until(async () => (await raw.exists(a.valueKey(k))) === 1);
    expect(await a.get(k)).toEqual(LOGIN);
    expect(await b.get(k)).toEqual(LOGIN);
    expect(await a.get(key())).toBeUndefined();
  });

  it('stores only the sealed value, with its TTL, under the HMAC key; the index outlives it', async () => {
    const a = tier();
    await a.whenReady();
    const k = key();
    const label = `role:arn:aws:iam::222222222222:role/sealed-${randomUUID()}`;
    void a.set(k, LOGIN, 60_000, [label, 'registry:222222222222.dkr.ecr.eu-west-1.amazonaws.com']);
    await until(async () => (await raw.exists(a.valueKey(k))) === 1);

    const value = await raw.get(a.valueKey(k));
    expect(a.valueKey(k)).toBe(`${PREFIX}:{${k}}`);
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(value).not.toContain(LOGIN.password);
    expect(value).not.toContain(LOGIN.username);
    const ttl = await raw.pTTL(a.valueKey(k));
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    expect(a.indexKey(label)).toMatch(new RegExp(`^${PREFIX}:idx:[0-9a-f]{64}$`));
    expect(await raw.sMembers(a.indexKey(label))).toEqual([k]);
    expect(await raw.pTTL(a.indexKey(label))).toBeGreaterThanOrEqual(ttl);

    // Nothing of the login in any key or value of this run.
    for await (const batch of raw.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 1000 })) {
      for (const name of batch) {
        expect(name).not.toContain(LOGIN.password);
        const type = await raw.type(name);
        const content = type === 'set' ? (await raw.sMembers(name)).join('\n') : String(await raw.get(name));
        expect(content).not.toContain(LOGIN.password);
        expect(content).not.toContain(LOGIN.username);
        expect(content).not.toContain('arn:aws');
      }
    }
  });

  it('keeps an index alive as long as its longest-lived entry', async () => {
    const a = tier();
    await a.whenReady();
    const [long, short] = [key(), key()];
    void a.set(long, LOGIN, 60_000, ['registry:idx-ttl.example']);
    await until(async () => (await raw.exists(a.valueKey(long))) === 1);
    void a.set(short, LOGIN, 5_000, ['registry:idx-ttl.example']);
    await until(async () => (await raw.exists(a.valueKey(short))) === 1);
    expect(await raw.pTTL(a.indexKey('registry:idx-ttl.example'))).toBeGreaterThan(55_000);
  });

  it('reads a value moved to another key, tampered with or foreign as a miss', async () => {
    const a = tier();
    await a.whenReady();
    const [k, moved, tampered, foreign] = [key(), key(), key(), key()];
    void a.set(k, LOGIN, 60_000, []);
    await until(async () => (await raw.exists(a.valueKey(k))) === 1);
    const sealed = String(await raw.get(a.valueKey(k)));

    await raw.set(a.valueKey(moved), sealed, { PX: 60_000 });
    const at = sealed.length - 5;
    await raw.set(a.valueKey(tampered), sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1), {
      PX: 60_000,
    });
    await raw.set(a.valueKey(foreign), JSON.stringify(LOGIN), { PX: 60_000 });
    expect(await a.get(moved)).toBeUndefined();
    expect(await a.get(tampered)).toBeUndefined();
    expect(await a.get(foreign)).toBeUndefined();

    // Another deployment (another encryption key) sharing the Redis reads nothing.
    const other = tier({ encryptionKeys: [randomBytes(32)] });
    await other.whenReady();
    expect(await other.get(k)).toBeUndefined();
    // A rotated replica ([new, old]) still reads it.
    const rotated = tier({ encryptionKeys: [randomBytes(32), ...KEYS] });
    await rotated.whenReady();
    expect(await rotated.get(k)).toEqual(LOGIN);
  });

  it('evicts by label: deletes the entries and the index, and tells the other replicas', async () => {
    const a = tier();
    const b = tier();
    await Promise.all([a.whenReady(), b.whenReady()]);
    const heardByA: string[] = [];
    const heardByB: string[] = [];
    a.onRemoteEvict(({ label: l }) => heardByA.push(l));
    b.onRemoteEvict(({ label: l }) => heardByB.push(l));

    const label = `role:arn:aws:iam::222222222222:role/evict-${randomUUID()}`;
    const [k1, k2, other] = [key(), key(), key()];
    void a.set(k1, LOGIN, 60_000, [label, 'registry:evict.example']);
    void b.set(k2, LOGIN, 60_000, [label]);
    void a.set(other, LOGIN, 60_000, ['registry:evict.example']);
    await until(async () => (await raw.exists([a.valueKey(k1), a.valueKey(k2), a.valueKey(other)])) === 3);

    const evicted = await a.evict(label, Date.now());
    expect(evicted.deleted).toBe(2);
    expect([...evicted.keys].sort()).toEqual([k1, k2].sort());
    expect(await raw.exists([a.valueKey(k1), a.valueKey(k2), a.indexKey(label)])).toBe(0);
    expect(await a.get(other)).toEqual(LOGIN);
    await until(async () => heardByB.length > 0);
    expect(heardByB).toEqual([label]);
    expect(heardByA).toEqual([]); // its own message

    // Nothing left under the label: 0, and the others are still told.
    expect(await b.evict(label, Date.now())).toEqual({ deleted: 0, keys: [] });
    await until(async () => heardByA.length > 0);
    expect(heardByA).toEqual([label]);
  });

  it('a value written back after its eviction (a replay) is never served; one minted later is', async () => {
    const a = tier();
    await a.whenReady();
    const label = `registry:replay-${randomUUID()}.example`;
    const k = key();
    const minted = { ...LOGIN, mintedAt: 1_000 };
    void a.set(k, minted, 60_000, [label]);
    await until(async () => (await a.get(k)) !== undefined);
    const sealed = await raw.get(a.valueKey(k));
    await a.evict(label, 2_000);
    expect(await a.get(k)).toBeUndefined();
    await raw.set(a.valueKey(k), sealed!, { PX: 60_000 }); // the replay
    expect(await a.get(k)).toBeUndefined();
    void a.set(k, { ...LOGIN, mintedAt: 3_000 }, 60_000, [label]);
    await until(async () => (await a.get(k)) !== undefined);
  });

  it('an index key of a wrong type is replaced, said in a warning, and writes go on', async () => {
    const a = tier();
    await a.whenReady();
    const label = `registry:wrongtype-${randomUUID()}.example`;
    await raw.set(a.indexKey(label), 'not a set');
    const k = key();
    void a.set(k, LOGIN, 60_000, [label]);
    await until(async () => (await raw.type(a.indexKey(label))) === 'set');
    expect(await raw.sMembers(a.indexKey(label))).toEqual([k]);
    await until(async () => logs.some((l) => l.message.includes('wrong type replaced')));
    expect((await a.evict(label, Date.now())).deleted).toBe(1);
  });

  it('ignores malformed eviction messages', async () => {
    const a = tier();
    await a.whenReady();
    const heard: string[] = [];
    a.onRemoteEvict(({ label: l }) => heard.push(l));
    a.onRemoteEvict(() => {
      throw new Error('a failing listener does not stop the others');
    });
    for (const junk of [
      'not json',
      'null',
      '{}',
      '{"label":42}',
      '{"label":""}',
      JSON.stringify({ label: 'x'.repeat(5000) }),
    ]) {
      await raw.publish(`${PREFIX}:evict`, junk);
    }
    await raw.publish(`${PREFIX}:evict`, JSON.stringify({ from: 'someone-else', label: 'registry:ok.example' }));
    await until(async () => heard.length > 0);
    expect(heard).toEqual(['registry:ok.example']);
  });
});
