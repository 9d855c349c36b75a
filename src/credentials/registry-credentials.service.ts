import { Inject, Injectable } from '@nestjs/common';
import { Deadline } from '../aws/deadline';
import { assertAccountReachable, assertMayEvict } from '../auth/account-bounds';
import type { Caller } from '../auth/caller';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { parseRegistryHost, RegistryHost } from '../registry/registry-host';
import { parseRoleArn } from '../registry/role-arn';
import { classifyRegistryKey, RegistryKeyInput } from '../registry/registry-key';
import { assertKeyFitsRegistry } from '../registry/registry-key.policy';
import type { Access } from '../policies/ecr-actions';
import type { MintIdentity, RegistryLogin } from './mint.types';
import { TokenMinter } from './token-minter.service';
import { sessionPolicy } from '../policies/session-policy';
import { RoleChainService } from '../sts/role-chain.service';
import { CacheResult, TokenCache } from '../token-cache/token-cache.service';

export interface MintRequest extends RegistryKeyInput {
  readonly registry: string;
  readonly access?: Access;
}

/**
 * The one orchestrator of a mint: everything that can be refused locally is refused here,
 * before any call to AWS; then the login is minted under the request's deadline.
 */
@Injectable()
export class RegistryCredentialsService {
  /** Registry hosts are few and not secret: parsed once each. */
  private readonly hosts = new ParsedHosts(1024);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly minter: TokenMinter,
    private readonly cache: TokenCache,
    private readonly chain: RoleChainService,
  ) {}

  /** Validates a request into the identity that decides its token. Throws 4xx EcrAuthErrors. */
  identify(request: MintRequest, caller?: Caller): MintIdentity {
    const host = this.hosts.parse(request.registry);
    const key = classifyRegistryKey(request);
    assertKeyFitsRegistry(key, host, {
      servicePartition: this.config.partition,
      requireExternalId: this.config.requireExternalId,
    });
    const account = key.kind === 'role' ? key.role.account : host.account;
    assertAccountReachable(account, this.config.allowedAccounts, caller);
    return { host, key, access: key.kind === 'role' ? request.access : undefined };
  }

  /** A login for a validated request: from the cache, or minted under the request's deadline. */
  login(identity: MintIdentity): Promise<CacheResult> {
    return this.cache.get(identity, () => this.mint(identity));
  }

  /**
   * Evicts cached tokens, refusals and held sessions of a role or a registry. A caller that is
   * not an operator may evict only what names one of its accounts (403 OPERATOR_ONLY).
   */
  async evict(target: { roleArn: string } | { registry: string }, caller?: Caller): Promise<number> {
    if ('roleArn' in target) {
      assertMayEvict(parseRoleArn(target.roleArn)?.account, this.config.allowedAccounts, caller);
      this.chain.forgetRole(target.roleArn);
      return this.cache.evict(`role:${target.roleArn}`);
    }
    const host = parseRegistryHost(target.registry);
    assertMayEvict(host.account, this.config.allowedAccounts, caller);
    return this.cache.evict(`registry:${host.host}`);
  }

  private async mint(identity: MintIdentity): Promise<RegistryLogin> {
    const deadline = new Deadline(this.config.requestDeadlineMs);
    try {
      // `access` down-scopes the customer session to the ECR actions it needs.
      const policy = identity.access ? sessionPolicy(identity.access, identity.host.kind) : undefined;
      return await this.minter.mint(identity, deadline, { policy });
    } finally {
      deadline.dispose();
    }
  }
}

/** A bounded memo of parseRegistryHost (refusals are not kept: they throw). */
class ParsedHosts {
  private readonly parsed = new Map<string, RegistryHost>();

  constructor(private readonly max: number) {}

  parse(input: string): RegistryHost {
    let host = this.parsed.get(input);
    if (!host) {
      host = parseRegistryHost(input);
      if (this.parsed.size >= this.max) this.parsed.clear();
      this.parsed.set(input, host);
    }
    return host;
  }
}

/** What the audit log says of a mint request: who is asked for, never a secret. */
export function auditFields(identity: MintIdentity): AuditFields {
  const { key, host } = identity;
  return {
    registry: host.host,
    roleArn: key.kind === 'role' ? key.role.arn : undefined,
    accessKeyId: key.kind === 'static' ? key.accessKeyId : undefined,
    access: identity.access,
  };
}

export interface AuditFields {
  registry: string;
  roleArn?: string;
  accessKeyId?: string;
  access?: string;
  sessionName?: string;
}
