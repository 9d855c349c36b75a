import { until } from '../fixtures/wait';
import type { Harness } from './harness';

/**
 * Resolves once the service's start-up check of its roles has been answered: that check calls
 * STS on its own, so a block that counts calls starts after it (and clears the record).
 */
export async function startupChecksDone(h: Harness): Promise<void> {
  await until(async () => (await h.get('/health/roles')).json.roles.every((r: { ok: unknown }) => r.ok !== null));
}
