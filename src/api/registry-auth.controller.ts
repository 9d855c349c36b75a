import { Body, Controller, Delete, Header, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { cacheEvictionBody, parseBody, registryAuthBody } from './request-body';

@Controller('registry-auth')
export class RegistryAuthController {
  constructor(private readonly credentials: RegistryCredentialsService) {}

  /** Mints (or serves from cache) a docker login for one registry. */
  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async mint(@Body() body: unknown, @Req() request: FastifyRequest) {
    const { login, outcome } = await this.credentials.login(parseBody(registryAuthBody, body), request.apiToken);
    request.cacheOutcome = outcome;
    return { registry: login.registry, username: login.username, password: login.password, expiresAt: login.expiresAt.toISOString() };
  }

  /** Evicts cached tokens and remembered refusals of a role or a registry, on every replica. */
  @Delete('cache')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async evict(@Body() body: unknown) {
    return { evicted: await this.credentials.evict(parseBody(cacheEvictionBody, body)) };
  }
}
