import { Body, Controller, Delete, HttpCode, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { cacheEvictionBody, parseBody } from './request-body';

/** DELETE /registry-auth/cache. (POST /registry-auth is mounted on Fastify: registry-auth.route.ts.) */
@Controller('registry-auth')
export class RegistryAuthController {
  constructor(private readonly credentials: RegistryCredentialsService) {}

  /** Evicts cached tokens and remembered refusals of a role or a registry, on every replica. */
  @Delete('cache')
  @HttpCode(200)
  async evict(@Body() body: unknown, @Req() request: FastifyRequest) {
    return { evicted: await this.credentials.evict(parseBody(cacheEvictionBody, body), request.caller) };
  }
}
