import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { Deadline } from '../aws/deadline';
import { assertAccountReachable, assertMayEvict } from '../auth/account-bounds';
import type { Caller } from '../auth/caller';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { parseRegistryHost, RegistryHost } from '../registry/registry-host';
import { parseRoleArn } from '../registry/role-arn';
import { classifyRegistryKey, RegistryKeyInput } from '../registry/registry-key';
import { assertKeyFitsRegistry } from '../registry/registry-key.policy';
import type { Access } from '../policies/ecr-actions';
import type { MintIdentity, RegistryLogin } from '../mint/mint.types';
import { TokenMinter } from './token-minter.service';
import { sessionPolicy } from '../policies/session-policy';
import { RoleChainService } from '../sts/role-chain.service';
import { canonicalTags } from '../sts/session-tags';
import { sourceIdentityOf } from '../sts/source-identity';
import type { CacheResult } from '../token-cache/cache-outcome';
import { TokenCache } from '../token-cache/token-cache.service';

export interface MintRequest extends RegistryKeyInput {
  readonly registry: string;
  readonly access?: Access;
  /** Checked against STS's rules by the request schema; the keys are checked here. */
  readonly sessionTags?: Readonly<Record<string, string>>;
  /** ECR repository names, sorted and without repeats (the request schema). */
  readonly repositories?: readonly string[];
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
    chain: RoleChainService,
  ) {
    // Held sessions go with the tokens, whichever replica evicted: the next mint of the role
    // assumes it again, so a rotated external ID or a revoked trust is checked at once.
    cache.onEvict((label) => {
      if (label.startsWith('role:')) chain.forgetRole(label.slice('role:'.length));
    });
  }

  /**
   * Validates a request into the identity that decides its token. Throws 4xx EcrAuthErrors.
   * `caller` is who asks: its accounts bound the
   * request, its name becomes the SourceIdentity when ECR_AUTH_SOURCE_IDENTITY=caller.
   */
  identify(request: MintRequest, caller?: Caller): MintIdentity {
    const host = this.hosts.parse(request.registry);
    const key = classifyRegistryKey(request);
    assertKeyFitsRegistry(key, host, {
      servicePartition: this.config.partition,
      requireExternalId: this.config.requireExternalId,
    });
    const account = key.kind === 'role' ? key.role.account : host.account;
    assertAccountReachable(account, this.config.allowedAccounts, caller);
    const sessionTags = request.sessionTags && assertTagKeysAllowed(request.sessionTags, this.config.sessionTagKeys);
    if (request.repositories && host.kind === 'public')
      throw new EcrAuthError(
        'INVALID_REQUEST',
        'repositories: scoping to repositories is for private registries; an ECR Public host names no account to build repository ARNs with.',
      );
    // Static keys have no session to scope, name or tag: access, tags and repositories are ignored.
    if (key.kind !== 'role') return { host, key };
    return {
      host,
      key,
      access: request.access ?? (request.repositories ? 'pull' : undefined),
      sourceIdentity: this.config.sourceIdentity === 'caller' && caller ? sourceIdentityOf(caller.name) : undefined,
      sessionTags: sessionTags?.length ? sessionTags : undefined,
      repositories: request.repositories,
    };
  }

  /** A login for a validated request: from the cache, or minted under the request's deadline. */
  login(identity: MintIdentity): Promise<CacheResult> {
    return this.cache.get(identity, (budgetMs) => this.mint(identity, budgetMs));
  }

  /**
   * Evicts cached tokens, refusals and held sessions of a role or a registry. A caller that is
   * not an operator may evict only what names one of its accounts (403 OPERATOR_ONLY).
   */
  async evict(target: { roleArn: string } | { registry: string }, caller?: Caller): Promise<number> {
    if ('roleArn' in target) {
      assertMayEvict(parseRoleArn(target.roleArn)?.account, this.config.allowedAccounts, caller);
      return this.cache.evict(`role:${target.roleArn}`);
    }
    const host = parseRegistryHost(target.registry);
    assertMayEvict(host.account, this.config.allowedAccounts, caller);
    return this.cache.evict(`registry:${host.host}`);
  }

  /** Mints under what is left of the request's deadline (a wait on another replica's mint counts). */
  private async mint(identity: MintIdentity, budgetMs: number): Promise<RegistryLogin> {
    const deadline = new Deadline(Math.min(budgetMs, this.config.requestDeadlineMs));
    try {
      // `access` down-scopes the customer session to the ECR actions it needs; `repositories`
      // to those repositories too (in the registry's region and account).
      const { access, host, repositories } = identity;
      const scope =
        repositories && host.account
          ? { partition: host.partition, region: host.region, account: host.account, names: repositories }
          : undefined;
      const policy = access ? sessionPolicy(access, host.kind, scope) : undefined;
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

/** The request's tags in canonical order, once every key is one the deployment allows. */
function assertTagKeysAllowed(tags: Readonly<Record<string, string>>, allowed: ReadonlySet<string>) {
  const keys = Object.keys(tags);
  if (keys.length > 0 && allowed.size === 0)
    throw new EcrAuthError(
      'INVALID_REQUEST',
      'sessionTags: this deployment sets no session tags (ECR_AUTH_SESSION_TAG_KEYS is empty); leave the field out or ask the operator to allow the keys.',
    );
  if (!keys.every((k) => allowed.has(k)))
    throw new EcrAuthError(
      'INVALID_REQUEST',
      `sessionTags: only the keys ${[...allowed].join(', ')} are allowed (ECR_AUTH_SESSION_TAG_KEYS).`,
    );
  return canonicalTags(tags);
}

/** What the audit log says of a mint request: who is asked for, never a secret. */
export function auditFields(identity: MintIdentity): AuditFields {
  const { key, host } = identity;
  return {
    registry: host.host,
    roleArn: key.kind === 'role' ? key.role.arn : undefined,
    accessKeyId: key.kind === 'static' ? key.accessKeyId : undefined,
    access: identity.access,
    sourceIdentity: identity.sourceIdentity,
    repositories: identity.repositories?.length,
  };
}

export interface AuditFields {
  registry: string;
  roleArn?: string;
  accessKeyId?: string;
  access?: string;
  sourceIdentity?: string;
  /** How many repositories the session is scoped to. */
  repositories?: number;
  sessionName?: string;
}
