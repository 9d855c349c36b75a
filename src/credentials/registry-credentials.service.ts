import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Deadline } from '../aws/deadline';
import { APP_CONFIG, AppConfig, ApiToken } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { parseRegistryHost, RegistryHost } from '../registry/registry-host';
import { classifyRegistryKey, RegistryKeyInput } from '../registry/registry-key';
import { assertKeyFitsRegistry } from '../registry/registry-key.policy';
import type { Access, MintIdentity, RegistryLogin } from './mint.types';
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
  identify(request: MintRequest, caller?: ApiToken): MintIdentity {
    const host = this.hosts.parse(request.registry);
    const key = classifyRegistryKey(request);
    assertKeyFitsRegistry(key, host, {
      servicePartition: this.config.partition,
      requireExternalId: this.config.requireExternalId,
    });
    const account = key.kind === 'role' ? key.role.account : host.account;
    assertAccountAllowed(account, this.config.allowedAccounts, 'ECR_AUTH_ALLOWED_ACCOUNTS');
    assertAccountAllowed(account, caller?.accounts, 'the API token');
    return { host, key, access: key.kind === 'role' ? request.access : undefined };
  }

  /** A login for a validated request: from the cache, or minted under the request's deadline. */
  login(identity: MintIdentity): Promise<CacheResult> {
    return this.cache.get(identity, () => this.mint(identity));
  }

  /** Evicts cached tokens, refusals and held sessions of a role or a registry. */
  async evict(target: { roleArn: string } | { registry: string }): Promise<number> {
    if ('roleArn' in target) {
      this.chain.forgetRole(target.roleArn);
      return this.cache.evict(`role:${target.roleArn}`);
    }
    return this.cache.evict(`registry:${parseRegistryHost(target.registry).host}`);
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
  private readonly parsed: LRUCache<string, RegistryHost>;

  constructor(max: number) {
    this.parsed = new LRUCache({ max });
  }

  parse(input: string): RegistryHost {
    let host = this.parsed.get(input);
    if (!host) {
      host = parseRegistryHost(input);
      this.parsed.set(input, host);
    }
    return host;
  }
}

function assertAccountAllowed(
  account: string | undefined,
  allowed: ReadonlySet<string> | undefined,
  source: string,
): void {
  if (!allowed) return;
  if (account === undefined) {
    throw new EcrAuthError(
      'ACCOUNT_NOT_ALLOWED',
      `Only registries of listed accounts are served (${source}), and this key names no account: use a role in one of them.`,
    );
  }
  if (!allowed.has(account)) {
    throw new EcrAuthError(
      'ACCOUNT_NOT_ALLOWED',
      `Account ${account} is not among the accounts allowed by ${source}; ask the operator to add it.`,
    );
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
