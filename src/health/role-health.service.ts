import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SingleFlight } from '../async/single-flight';
import { Deadline } from '../aws/deadline';
import { CLOCK, Clock } from '../clock/clock';
import { APP_CONFIG, AppConfig, HealthProbe } from '../config/app-config';
import { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { TokenMinter } from '../credentials/token-minter.service';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { Metrics } from '../metrics/metrics';
import { RoleChainService } from '../sts/role-chain.service';
import { RoleCheck } from './role-check';

/** How often roles are validated in the background, and how soon `?refresh=true` may ask again. */
export const VALIDATION_INTERVAL_MS = 5 * 60_000;
export const REFRESH_MIN_INTERVAL_MS = 30_000;

/**
 * Validates the jump role and the configured probes (each runs the whole chain and fetches
 * an ECR token, bypassing every cache) at start-up in the background, on a schedule, and on
 * request (rate-limited). Queries read the kept results and never reach STS.
 */
@Injectable()
export class RoleHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RoleHealth');
  private checks: RoleCheck[];
  private readonly rounds = new SingleFlight<void>();
  private lastRoundAt = -Infinity;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly chain: RoleChainService,
    private readonly minter: TokenMinter,
    private readonly credentials: RegistryCredentialsService,
    private readonly metrics: Metrics,
  ) {
    const pending = (name: string, roleArn: string): RoleCheck => ({
      name,
      roleArn,
      ok: null,
      checkedAt: null,
      expiresAt: null,
    });
    this.checks = [
      ...(config.jumpRole ? [pending('jump-role', config.jumpRole.role.arn)] : []),
      ...config.healthProbes.map((p) => pending(p.name, p.roleArn)),
    ];
    this.checks.forEach((c) => this.metrics.roleHealth.set({ name: c.name }, -1));
  }

  onApplicationBootstrap(): void {
    if (this.checks.length === 0) return;
    // Start-up never waits for the checks, nor fails on them.
    setImmediate(() => void this.validate());
    this.timer = setInterval(() => void this.validate(), VALIDATION_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The kept results; with `refresh`, a new round first unless one ran moments ago. */
  async report(refresh = false): Promise<RoleCheck[]> {
    if (refresh && this.clock() - this.lastRoundAt >= REFRESH_MIN_INTERVAL_MS) await this.validate();
    return this.checks;
  }

  /** One validation round; concurrent callers share it. */
  validate(): Promise<void> {
    return this.rounds.run(() => this.runRound());
  }

  private async runRound(): Promise<void> {
    this.lastRoundAt = this.clock();
    const jump = this.config.jumpRole
      ? [this.check('jump-role', this.config.jumpRole.role.arn, () => this.checkJump())]
      : [];
    const probes = this.config.healthProbes.map((p) => this.check(p.name, p.roleArn, () => this.checkProbe(p)));
    this.checks = await Promise.all([...jump, ...probes]);
  }

  private async check(name: string, roleArn: string, run: () => Promise<Date | undefined>): Promise<RoleCheck> {
    const checkedAt = new Date(this.clock()).toISOString();
    try {
      const expiresAt = await run();
      this.metrics.roleHealth.set({ name }, 1);
      return { name, roleArn, ok: true, checkedAt, expiresAt: expiresAt?.toISOString() ?? null };
    } catch (e) {
      const error =
        e instanceof EcrAuthError
          ? e
          : new EcrAuthError('INTERNAL', 'Unexpected failure while checking the role.', { cause: e });
      this.metrics.roleHealth.set({ name }, 0);
      this.logger.warn({ check: name, roleArn, code: error.code }, 'role check failed');
      return {
        name,
        roleArn,
        ok: false,
        checkedAt,
        expiresAt: null,
        error: { code: error.code, message: error.message },
      };
    }
  }

  private async checkJump(): Promise<Date | undefined> {
    return this.withDeadline(async (deadline) => (await this.chain.checkJump(deadline, true))?.expiration);
  }

  private async checkProbe(probe: HealthProbe): Promise<Date> {
    const identity = this.credentials.identify({
      registry: probe.registry,
      roleArn: probe.roleArn,
      externalId: probe.externalId,
    });
    return this.withDeadline(
      async (deadline) => (await this.minter.mint(identity, deadline, { reuse: false })).expiresAt,
    );
  }

  private async withDeadline<T>(run: (deadline: Deadline) => Promise<T>): Promise<T> {
    const deadline = new Deadline(this.config.requestDeadlineMs);
    try {
      return await run(deadline);
    } finally {
      deadline.dispose();
    }
  }
}
