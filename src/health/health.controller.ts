import { Controller, Get, Query, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { OperatorGuard } from '../auth/operator.guard';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Readiness } from './readiness';
import { ReadyBody, readyBody } from './readiness.body';
import { ReadinessIndicator } from './readiness.indicator';
import { RoleHealth } from './role-health.service';
import { rolesStatus } from './role-check';
import { SharedCacheIndicator } from './shared-cache.indicator';

/**
 * Probes for the orchestrator (live, ready: no auth, nothing upstream) and role health for operators.
 * Not terminus's `@HealthCheck()`: its Cache-Control differs from the `no-store` every answer carries.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: Readiness,
    private readonly readinessIndicator: ReadinessIndicator,
    private readonly sharedCache: SharedCacheIndicator,
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

  /** 503 while starting or draining. A Redis outage is reported, not failed: the replica still serves. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyBody> {
    try {
      const result = await this.health.check([() => this.readinessIndicator.check(), () => this.sharedCache.check()]);
      return readyBody(result, this.readiness.current);
    } catch (e) {
      // Terminus throws its result as a 503; answered here, or the error filter would make it an error body.
      if (!(e instanceof ServiceUnavailableException)) throw e;
      reply.status(503);
      return readyBody(e.getResponse() as HealthCheckResult, this.readiness.current);
    }
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
