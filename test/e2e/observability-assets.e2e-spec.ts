import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { itWith, PROMTOOL } from '../fixtures/outside-tools';
import { exportedFamilies, familyOf, metricUses, MetricUse, ruleFileValues } from '../fixtures/promql-names';
import { until } from '../fixtures/wait';
import { bodyOf, counted, FleetCustomer, fleetWorld } from './fleet-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/**
 * The alerts and the dashboard of deploy/ as an operator loads them: promtool accepts the rules
 * and passes their unit tests, each alert has a runbook entry, and every metric and label a rule
 * or a panel names is one a running service exports after real traffic.
 */
const ROOT = join(__dirname, '..', '..');
const RULES = join(ROOT, 'deploy/prometheus/ecr-auth.rules.yml');
const RULE_TESTS = join(ROOT, 'deploy/prometheus/ecr-auth.rules.test.yml');
const DASHBOARD = join(ROOT, 'deploy/grafana/ecr-auth.dashboard.json');
const OPERATIONS = join(ROOT, 'docs/operations.md');
const read = (file: string) => readFileSync(file, 'utf8');

/** Labels Prometheus attaches at scrape time: never in the service's own output. */
const TARGET_LABELS = new Set(['job', 'instance']);

/** Where PromQL is used: each expression with a name for the failure message. */
function expressions(): Array<{ where: string; expr: string }> {
  const names = ruleFileValues(read(RULES), 'record|alert');
  const rules = ruleFileValues(read(RULES), 'expr').map((expr, i) => ({ where: `rule ${names[i]}`, expr }));
  const dashboard = JSON.parse(read(DASHBOARD)) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    templating: { list: Array<{ name: string; query?: string | { query: string } }> };
  };
  const panels = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })),
  );
  const variables = dashboard.templating.list.flatMap((v) => {
    const query = typeof v.query === 'string' ? v.query : v.query?.query;
    // label_values(<selector>, <label>): the selector is PromQL, the label is not.
    const m = query && /^label_values\((.*),\s*[a-zA-Z_]\w*\)$/.exec(query);
    return m ? [{ where: `variable $${v.name}`, expr: m[1] }] : [];
  });
  return [...rules, ...panels, ...variables];
}

/** A heading's anchor as GitHub writes it. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');

describe('alerts and dashboard as code', () => {
  describe('promtool', () => {
    const promtool = (...args: string[]) => {
      const r = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8' });
      return { status: r.status, output: `${r.stdout}${r.stderr}` };
    };

    itWith(PROMTOOL)('accepts the rule file', () => {
      expect(promtool('check', 'rules', RULES)).toMatchObject({
        status: 0,
        output: expect.stringContaining('SUCCESS'),
      });
    });

    itWith(PROMTOOL)('passes every rule unit test', () => {
      expect(promtool('test', 'rules', RULE_TESTS)).toMatchObject({
        status: 0,
        output: expect.stringContaining('SUCCESS'),
      });
    });
  });

  it('each alert has a unit test where it fires, one where it does not, and a runbook entry its annotation links', () => {
    const alerts = ruleFileValues(read(RULES), 'alert');
    const runbooks = ruleFileValues(read(RULES), 'runbook_url');
    expect(runbooks).toHaveLength(alerts.length);
    // In the tests, each `alertname:` is followed by its `exp_alerts:` (`[]`: expected not to fire).
    const cases = new Map<string, Set<'fires' | 'silent'>>();
    let alertname: string | undefined;
    for (const line of read(RULE_TESTS).split('\n')) {
      const name = /^\s*alertname:\s*(\S+)/.exec(line);
      if (name) alertname = name[1];
      const exp = /^\s*exp_alerts:\s*(.*)$/.exec(line);
      if (exp && alertname) {
        const seen = cases.get(alertname) ?? new Set();
        seen.add(exp[1].trim() === '[]' ? 'silent' : 'fires');
        cases.set(alertname, seen);
        alertname = undefined;
      }
    }
    const anchors = new Set(
      read(OPERATIONS)
        .split('\n')
        .filter((l) => /^#{2,4} /.test(l))
        .map((l) => anchorOf(l.replace(/^#+ /, ''))),
    );
    const problems = alerts.flatMap((alert, i) => {
      const found: string[] = [];
      const seen = cases.get(alert) ?? new Set();
      if (!seen.has('fires')) found.push(`${alert}: no test where it fires`);
      if (!seen.has('silent')) found.push(`${alert}: no test where it does not fire`);
      const anchor = /^docs\/operations\.md#(.+)$/.exec(runbooks[i])?.[1];
      if (!anchor || !anchors.has(anchor)) found.push(`${alert}: runbook_url ${runbooks[i]} names no heading`);
      return found;
    });
    expect(problems).toEqual([]);
    expect(alerts.length).toBeGreaterThanOrEqual(7);
  });

  describe('against a running service', () => {
    const world = fleetWorld();
    // A whole minute: AWS expiries are whole seconds.
    let now = Math.floor(Date.now() / 60_000) * 60_000;
    const clock = () => now;
    let emu: AwsEmulator;
    let h: Harness;
    let customer: FleetCustomer;

    beforeAll(async () => {
      emu = await AwsEmulator.start({ clock });
      seedWorld(emu);
      [customer] = world.addCustomers(emu, 1, 9);
      const probes = JSON.stringify([
        {
          name: 'main-customer',
          roleArn: WORLD.customer.arn,
          externalId: WORLD.customer.externalId,
          registry: WORLD.customer.registry,
        },
      ]);
      // One replica with the shared tier on the tests' Redis, so the fleet metrics have samples.
      h = await startHarness({ emulator: emu, env: { ...world.env, ECR_AUTH_HEALTH_PROBES: probes }, clock });
    });
    afterAll(async () => {
      emu?.clearFaults();
      if (h) {
        expectNoSecrets(h.logs, [...issuedSecrets(emu), customer.externalId]);
        await h.close();
      }
      await world.cleanup();
      await emu?.close();
    });

    /** Traffic that gives every metric the rules and panels match on a sample. */
    async function drive(): Promise<void> {
      await until(async () => (await h.get('/health/roles')).json.status !== 'pending');
      // A throttled AssumeRole, retried: a cold mint.
      emu.inject({ kind: 'throttle', service: 'sts', action: 'AssumeRole' });
      const minted = await h.post('/registry-auth', bodyOf(customer));
      expect(minted.status).toBe(200);
      expect((await h.post('/registry-auth', bodyOf(customer))).status).toBe(200); // a hit
      const refused = await h.post('/registry-auth', { ...bodyOf(customer), externalId: 'wrong-external-id' });
      expect(refused.json.code).toBe('ASSUME_ROLE_DENIED');
      expect((await h.delete('/registry-auth/cache', { roleArn: customer.arn })).status).toBe(200);
      // Minted again after the eviction (and written to Redis again, where the cleanup finds it).
      const token = (await h.post('/registry-auth', bodyOf(customer))).json as { expiresAt: string };
      await h.post('/registry-auth', bodyOf(customer)); // in use: refreshed at its refresh time
      // Refresh-ahead at the refresh time with ECR throttling: failed; then, ECR back, refreshed.
      emu.inject({ kind: 'throttle', service: 'ecr', action: 'GetAuthorizationToken', times: Infinity });
      now = Date.parse(token.expiresAt) - 299_000;
      await until(async () => (await counted(h, 'refreshAhead', 'failed')) > 0);
      emu.clearFaults();
      now += 60_000; // past the back-off of the failed refresh
      await until(async () => (await counted(h, 'refreshAhead', 'refreshed')) > 0);
    }

    it('exports every metric a rule or panel names, with every label their matchers use', async () => {
      await drive();
      const scrape = await h.get('/metrics'); // as an operator: an API token bound to no accounts
      expect(scrape.status).toBe(200);
      const families = exportedFamilies(scrape.text);
      const recorded = new Set(ruleFileValues(read(RULES), 'record'));
      const check = (where: string, use: MetricUse): string[] => {
        if (recorded.has(use.metric)) return [];
        const family = familyOf(families, use.metric);
        if (!family) return [`${where}: ${use.metric} is not exported`];
        const labels = use.labels.filter((l) => !TARGET_LABELS.has(l));
        const seen = family.samples.get(use.metric);
        if (labels.length && !seen) return [`${where}: ${use.metric} has no sample to match ${labels.join(', ')} on`];
        return labels.filter((l) => !seen?.has(l)).map((l) => `${where}: ${use.metric} has no label ${l}`);
      };
      const uses = expressions().flatMap(({ where, expr }) => metricUses(expr).map((use) => ({ where, use })));
      expect(uses.length).toBeGreaterThan(30);
      expect(uses.flatMap(({ where, use }) => check(where, use))).toEqual([]);
    });
  });
});
