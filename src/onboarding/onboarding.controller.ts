import { Body, Controller, Get, Header, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parseBody } from '../api/request-body';
import { parseQuery, policiesQuery, verifyBody } from './onboarding-request';
import { PoliciesService } from './policies.service';
import { VerifyService } from './verify.service';
import { VerifyThrottle } from './verify-throttle';
import type { VerifyResult } from './verify-checks';

/** Onboarding of customer roles: the IAM documents to create, then a check of the result. */
@Controller()
export class OnboardingController {
  constructor(
    private readonly verifier: VerifyService,
    private readonly policies: PoliciesService,
    private readonly throttle: VerifyThrottle,
  ) {}

  /** Checks a customer role; 200 whatever the verdict, which is in the body. */
  @Post('registry-auth/verify')
  @HttpCode(200)
  verify(@Body() body: unknown, @Req() request: FastifyRequest): Promise<VerifyResult> {
    // A malformed body costs AWS nothing and is refused before it counts.
    const check = parseBody(verifyBody, body);
    this.throttle.take(request.caller, request.ip);
    return this.verifier.verify(check, request.caller);
  }

  /** The IAM documents for a customer's external ID, as canonical JSON. */
  @Get('onboarding/policies')
  @Header('Content-Type', 'application/json; charset=utf-8')
  documents(@Query() query: unknown): Promise<string> {
    return this.policies.render(parseQuery(policiesQuery, query));
  }
}
