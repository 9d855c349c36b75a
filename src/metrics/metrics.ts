import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the upstream gauges read at scrape time. */
interface GateStats {
  readonly inFlight: number;
  readonly depth: number;
  observe(observer: { granted(ms: number): void }): void;
}

/** The shared tier's states, the gauge's only label values. */
const SHARED_CACHE_STATES = ['up', 'degraded', 'down', 'off'] as const;
type SharedCacheState = (typeof SHARED_CACHE_STATES)[number];

/**
 * Every metric of the service: names, help and label sets in one place, and the only file
 * that imports prom-client. Labels have bounded values only (routes, codes, services,
 * outcomes, configured probe names): never a role ARN, an account or a registry.
 */
export class Metrics {
  readonly registry = new Registry();
  private gate?: GateStats;
  private sharedState?: () => SharedCacheState;

  readonly requests = new Counter({
    name: 'ecr_auth_requests_total',
    help: 'HTTP requests by route and outcome code (OK or an error code of the contract).',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'ecr_auth_request_duration_seconds',
    help: 'HTTP request latency by route.',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });

  readonly cacheEvents = new Counter({
    name: 'ecr_auth_cache_events_total',
    help: 'Token cache outcomes: hit, miss, coalesced (waited on a mint in flight), refreshed, stale (served after a failed refresh), denied (a remembered refusal).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: 'ecr_auth_upstream_calls_total',
    help: 'Calls to AWS by service, operation and outcome (OK or the contract code it mapped to); each attempt counts.',
    labelNames: ['service', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'ecr_auth_upstream_retries_total',
    help: 'Attempts to AWS that failed transiently and were retried.',
    labelNames: ['service', 'operation'] as const,
    registers: [this.registry],
  });

  readonly localRefusals = new Counter({
    name: 'ecr_auth_local_refusals_total',
    help: 'Requests refused without calling AWS to protect its quotas: verify_rate (ECR_AUTH_VERIFY_PER_MINUTE), refusal_budget (too many refused AssumeRoles for one role).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly servedTokenRemaining = new Histogram({
    name: 'ecr_auth_served_token_remaining_seconds',
    help: 'Remaining lifetime of the tokens answered to callers.',
    buckets: [60, 120, 300, 600, 900, 1800, 2700, 3600, 7200, 21600, 43200],
    registers: [this.registry],
  });

  readonly roleHealth = new Gauge({
    name: 'ecr_auth_role_health',
    help: 'Last validation of each configured role (the jump role and ECR_AUTH_HEALTH_PROBES): 1 ok, 0 failing, -1 not checked yet.',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });

  readonly upstreamInFlight: Gauge = new Gauge({
    name: 'ecr_auth_upstream_in_flight',
    help: 'STS and ECR calls in flight in this replica (at most ECR_AUTH_UPSTREAM_CONCURRENCY).',
    registers: [this.registry],
    collect: (): void => this.upstreamInFlight.set(this.gate?.inFlight ?? 0),
  });

  readonly upstreamQueueDepth: Gauge = new Gauge({
    name: 'ecr_auth_upstream_queue_depth',
    help: 'Upstream calls waiting for a slot (ECR_AUTH_UPSTREAM_CONCURRENCY), served round robin by customer account.',
    registers: [this.registry],
    collect: (): void => this.upstreamQueueDepth.set(this.gate?.depth ?? 0),
  });

  readonly sharedCacheState: Gauge = new Gauge({
    name: 'ecr_auth_shared_cache_state',
    help: 'The shared cache (Redis) as /health/ready reports it: 1 for its state now, 0 for the others. up: calls succeed; degraded: calls fail or time out, or Redis refuses the tier (a configuration error, logged); down: unreachable; off: no Redis.',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: (): void => {
      const now = this.sharedState?.() ?? 'off';
      for (const state of SHARED_CACHE_STATES) this.sharedCacheState.set({ state }, state === now ? 1 : 0);
    },
  });

  readonly upstreamQueueWait = new Histogram({
    name: 'ecr_auth_upstream_queue_wait_seconds',
    help: 'How long each upstream call waited for a slot (0 when one was free).',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly mintLock = new Counter({
    name: 'ecr_auth_mint_lock_total',
    help: "Mints under the fleet-wide lock by outcome: acquired (minted here), shared (answered another replica's token), freed (the holder went away; minted here), unavailable (no lock: Redis down or slow; minted here), timeout (deadline passed waiting).",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly mintLockWait = new Histogram({
    name: 'ecr_auth_mint_lock_wait_seconds',
    help: "Time from asking for the mint lock to minting or answering another replica's token.",
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly refreshAhead = new Counter({
    name: 'ecr_auth_refresh_ahead_total',
    help: 'Refresh-ahead at refresh times: refreshed (a new token, minted here or read from the shared tier), failed (tried again with back-off while the cached token is servable), skipped_idle (not requested since its mint: left to expire).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  // Label children resolved once per label set: prom-client hashes the labels on every
  // inc/observe otherwise, a measurable share of a cache hit.
  private readonly requestChildren = new Map<
    string,
    { count: { inc(): void }; duration: { observe(v: number): void } }
  >();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ecr_auth_' });
  }

  /** Reports the upstream gate's slots and queue (read at scrape time, nothing per call but the wait). */
  watchUpstreamGate(gate: GateStats): void {
    this.gate = gate;
    gate.observe({ granted: (ms) => this.upstreamQueueWait.observe(ms / 1000) });
  }

  /** Reports the shared tier's state (read at scrape time). */
  watchSharedCache(state: () => SharedCacheState): void {
    this.sharedState = state;
  }

  /** One request: counted by method, route and outcome code, timed by route. */
  countRequest(method: string, route: string, code: string, seconds: number): void {
    const key = `${method} ${route} ${code}`;
    let child = this.requestChildren.get(key);
    if (!child) {
      child = {
        count: this.requests.labels({ method, route, code }),
        duration: this.requestDuration.labels({ route }),
      };
      this.requestChildren.set(key, child);
    }
    child.count.inc();
    child.duration.observe(seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
