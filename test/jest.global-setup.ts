import { projectKeys, TEST_REDIS_URL } from './fixtures/test-redis';

/**
 * What the leftover check of test/jest.global-teardown.ts compares against (Jest's global
 * setup and teardown share `globalThis`): the project's keys already in the test Redis, unset
 * when it did not answer.
 */
export const beforeRun = globalThis as { ecrAuthRedisKeysBeforeRun?: Set<string> };

/**
 * Before any test: the project's keys already in the test Redis, so that the teardown counts
 * only what this run left. Keys found here are not the run's to delete: they are named, and
 * left alone.
 */
export default async function recordRedisBeforeRun(): Promise<void> {
  let keys: Set<string>;
  try {
    keys = await projectKeys();
  } catch (e) {
    process.stderr.write(
      `\nno Redis at ${TEST_REDIS_URL} (${e instanceof Error ? e.message : String(e)}): ` +
        'the leftover check is off\n',
    );
    return;
  }
  beforeRun.ecrAuthRedisKeysBeforeRun = keys;
  if (keys.size > 0) {
    process.stderr.write(
      `\n${keys.size} ecr-auth key(s) were in ${TEST_REDIS_URL} before this run (an interrupted ` +
        "run, or a database that is not the tests' own): left alone and not counted, e.g. " +
        `${[...keys].slice(0, 3).join(', ')}\n`,
    );
  }
}
