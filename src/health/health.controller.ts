import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SHARED_TIER, SharedTier } from '../token-cache/shared-tier';
import { Readiness } from './readiness';

/** Probes for the orchestrator: no auth, nothing upstream. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
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
}
