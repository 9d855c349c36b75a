import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { assertOperator } from './account-bounds';

/** Operator routes (metrics, role health): 403 OPERATOR_ONLY for tenants. */
@Injectable()
export class OperatorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    assertOperator(request.caller, `${request.method} ${request.routeOptions.url ?? request.url}`);
    return true;
  }
}
