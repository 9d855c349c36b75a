import { Controller, Get, Header, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SHARED_TIER, SharedTier } from '../token-cache/shared-tier';
import { Readiness } from './readiness';
import { RoleHealth } from './role-health.service';
import { rolesStatus } from './role-check';

/** Probes for the orchestrator (live, ready: no auth, nothing upstream) and role health for operators. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly roles: RoleHealth,
    @Inject(SHARED_TIER) private readonly shared: SharedTier,
  ) {}

  @Get('live')
  @Header('Cache-Control', 'no-store')
  live() {
    return { status: 'ok' };
  }

  /** 503 while starting or draining. A Redis outage is reported, not failed: the replica still serves. */
  @Get('ready')
  @Header('Cache-Control', 'no-store')
  ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const state = this.readiness.current;
    if (state !== 'ready') reply.status(503);
    return { status: state === 'ready' ? 'ok' : state, sharedCache: this.shared.state() };
  }

  /** The last validation of the jump role and the probes; `?refresh=true` asks for a new round (rate-limited). */
  @Get('roles')
  @Header('Cache-Control', 'no-store')
  async roleHealth(@Query('refresh') refresh: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const checks = await this.roles.report(refresh === 'true');
    const { status, httpStatus } = rolesStatus(checks);
    reply.status(httpStatus);
    return { status, roles: checks };
  }
}
