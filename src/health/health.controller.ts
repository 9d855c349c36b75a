import { Controller, Get, Query, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { OperatorGuard } from '../auth/operator.guard';
import type { SharedTierState } from '../shared-tier/shared-tier.port';
import { ReadyIndicators } from './ready.indicators';
import { RoleHealth } from './role-health.service';
import { rolesStatus } from './role-check';

/** `GET /health/ready`'s body: terminus's result, and the shared cache's state where callers read it. */
export type ReadyBody = HealthCheckResult & { readonly sharedCache: SharedTierState | undefined };

/**
 * Probes for the orchestrator (live, ready: no auth, nothing upstream) and role health for operators.
 * Not terminus's `@HealthCheck()`: its Cache-Control differs from the `no-store` every answer carries.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadyIndicators,
    private readonly roles: RoleHealth,
  ) {}

  /**
   * Checks nothing, not even through terminus: its check answers 503 once shutdown begins, and
   * a draining replica that still serves must not be restarted.
   */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Terminus's answer: 200 once ready, 503 while starting or draining. A Redis outage is reported, not failed. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyBody> {
    const result = await this.health
      .check([() => this.indicators.readiness(), () => this.indicators.sharedCache()])
      .catch((e: unknown) => {
        // Terminus throws a failed check's result as a 503; the service's one error filter would
        // turn it into an error body, so it is answered here as terminus means it.
        if (!(e instanceof ServiceUnavailableException)) throw e;
        reply.status(503);
        return e.getResponse() as HealthCheckResult;
      });
    // The one addition: the contract reads `sharedCache` at the top level, terminus keeps it
    // under its indicator, and its result has no place for a field of ours.
    return { ...result, sharedCache: result.details.sharedCache?.state as SharedTierState | undefined };
  }

  /** The last validation of the jump role and the probes; `?refresh=true` asks for a new round (rate-limited). */
  @Get('roles')
  @UseGuards(OperatorGuard)
  async roleHealth(@Query('refresh') refresh: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const checks = await this.roles.report(refresh === 'true');
    const { status, httpStatus } = rolesStatus(checks);
    reply.status(httpStatus);
    return { status, roles: checks };
  }
}
