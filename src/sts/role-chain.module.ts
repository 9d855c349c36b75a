import { Module } from '@nestjs/common';
import { RoleChainService } from './role-chain.service';

/**
 * The role chain, one instance per application (it holds the shared jump session): every
 * module that assumes roles imports this module rather than providing the service itself.
 */
@Module({
  providers: [RoleChainService],
  exports: [RoleChainService],
})
export class RoleChainModule {}
