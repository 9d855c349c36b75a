import { Inject, Injectable, Logger } from '@nestjs/common';
import { Deadline } from '../aws/deadline';
import { APP_CONFIG, AppConfig, ApiToken } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { parseRegistryHost } from '../registry/registry-host';
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
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly minter: TokenMinter,
    private readonly cache: TokenCache,
    private readonly chain: RoleChainService,
  ) {}

  /** Validates a request into the identity that decides its token. Throws 4xx EcrAuthErrors. */
  identify(request: MintRequest, caller?: ApiToken): MintIdentity {
    const host = parseRegistryHost(request.registry);
    const key = classifyRegistryKey(request);
    assertKeyFitsRegistry(key, host, { servicePartition: this.config.partition, requireExternalId: this.config.requireExternalId });
    const account = key.kind === 'role' ? key.role.account : host.account;
    assertAccountAllowed(account, this.config.allowedAccounts, 'ECR_AUTH_ALLOWED_ACCOUNTS');
    assertAccountAllowed(account, caller?.accounts, 'the API token');
    return { host, key, access: key.kind === 'role' ? request.access : undefined };
  }

  /** A login for the request: from the cache, or minted under the request's deadline. */
  async login(request: MintRequest, caller?: ApiToken): Promise<CacheResult> {
    const identity = this.identify(request, caller);
    try {
      const result = await this.cache.get(identity, () => this.mint(identity));
      this.audit(identity, caller, { outcome: 'OK', cache: result.outcome, sessionName: result.login.sessionName });
      return result;
    } catch (e) {
      this.audit(identity, caller, { outcome: e instanceof EcrAuthError ? e.code : 'INTERNAL' });
      throw e;
    }
  }

  /** One audit line per mint request: who asked, for which role and registry, and how it went. No secret. */
  private audit(identity: MintIdentity, caller: ApiToken | undefined, result: { outcome: string; cache?: string; sessionName?: string }): void {
    const { key, host } = identity;
    this.logger.log(
      {
        audit: 'registry-auth',
        registry: host.host,
        roleArn: key.kind === 'role' ? key.role.arn : undefined,
        accessKeyId: key.kind === 'static' ? key.accessKeyId : undefined,
        access: identity.access,
        caller: caller?.fingerprint,
        ...result,
      },
      'mint',
    );
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

function assertAccountAllowed(account: string | undefined, allowed: ReadonlySet<string> | undefined, source: string): void {
  if (!allowed) return;
  if (account === undefined) {
    throw new EcrAuthError('ACCOUNT_NOT_ALLOWED', `Only registries of listed accounts are served (${source}), and this key names no account: use a role in one of them.`);
  }
  if (!allowed.has(account)) {
    throw new EcrAuthError('ACCOUNT_NOT_ALLOWED', `Account ${account} is not among the accounts allowed by ${source}; ask the operator to add it.`);
  }
}
