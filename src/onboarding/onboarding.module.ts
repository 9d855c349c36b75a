import { Module } from '@nestjs/common';
import { RoleChainModule } from '../sts/role-chain.module';
import { OnboardingController } from './onboarding.controller';
import { PoliciesService } from './policies.service';
import { VerifyService } from './verify.service';
import { VerifyThrottle } from './verify-throttle';

/**
 * Onboarding: GET /onboarding/policies and POST /registry-auth/verify. APP_CONFIG, AWS_APIS
 * and Upstream come from the global CoreModule; the role chain from RoleChainModule,
 * the one instance the whole application shares.
 */
@Module({
  imports: [RoleChainModule],
  controllers: [OnboardingController],
  providers: [VerifyService, PoliciesService, VerifyThrottle],
})
export class OnboardingModule {}
