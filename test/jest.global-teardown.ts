import { beforeRun } from './jest.global-setup';
import { PROJECT_KEYS, projectKeys, TEST_REDIS_URL, testRedisClient } from './fixtures/test-redis';

/**
 * After every test: the run fails when it left any of the project's keys in the test Redis
 * (each test deletes what it writes, its tombstones and locks included). They are listed with
 * their time to live, then deleted, so that the next run starts clean; keys that were there
 * before the run are not touched.
 */
export default async function failOnRedisLeftovers(): Promise<void> {
  const before = beforeRun.ecrAuthRedisKeysBeforeRun;
  if (!before) return; // no Redis: the setup said so
  const left = [...(await projectKeys())].filter((k) => !before.has(k)).sort();
  if (left.length === 0) return;
  const client = await testRedisClient();
  try {
    const ttls = await Promise.all(left.map((k) => client.pTTL(k)));
    await client.del(left);
    const lines = left.map(
      (k, i) => `  ${k} (${ttls[i] < 0 ? 'no expiry' : `expires in ${Math.round(ttls[i] / 1000)} s`})`,
    );
    throw new Error(
      `the tests left ${left.length} key(s) matching ${PROJECT_KEYS} in ${TEST_REDIS_URL} ` +
        `(deleted now; the test that wrote them must delete them):\n${lines.join('\n')}`,
    );
  } finally {
    await client.close();
  }
}
