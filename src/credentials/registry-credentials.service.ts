import { Inject, Injectable } from '@nestjs/common';
import { Deadline } from '../aws/deadline';
import { APP_CONFIG, AppConfig, ApiToken } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { parseRegistryHost } from '../registry/registry-host';
import { classifyRegistryKey, RegistryKeyInput } from '../registry/registry-key';
import { assertKeyFitsRegistry } from '../registry/registry-key.policy';
import type { Access, MintIdentity, RegistryLogin } from './mint.types';
import { TokenMinter } from './token-minter.service';

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
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly minter: TokenMinter,
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

  async login(request: MintRequest, caller?: ApiToken): Promise<RegistryLogin> {
    const identity = this.identify(request, caller);
    const deadline = new Deadline(this.config.requestDeadlineMs);
    try {
      return await this.minter.mint(identity, deadline);
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
