import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { KeyedFlights, SingleFlight } from '../async/single-flight';
import { AWS_APIS, AwsApis, SessionCredentials, StsCaller } from '../aws/aws.ports';
import { isRejectedSession } from '../aws/aws-error.mapper';
import type { Deadline } from '../aws/deadline';
import { Upstream } from '../aws/upstream';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CLOCK, Clock } from '../clock/clock';
import { effectiveBufferMs } from '../lifetime/lifetime.rule';
import { ChainHop, CustomerTarget, planChain, planJumpHop } from './role-chain';
import { sessionKey } from './session-key';

/** Customer session credentials and the session name they were issued under. */
export type NamedSession = SessionCredentials & { readonly sessionName: string };

interface HeldCredentials {
  readonly credentials: NamedSession;
  readonly refreshAt: number;
  readonly roleArn: string;
}

export interface AssumeOptions {
  /** Reuse (and keep) held customer credentials; off for onboarding checks, which must call STS. */
  readonly reuse?: boolean;
}

/**
 * Runs the role chain. Jump credentials are shared by every customer and kept in process
 * until their refresh time; customer credentials too (keyed like the token cache), so a
 * second region of the same role costs only an ECR call. Held customer sessions are an LRU
 * bounded like the token cache, each kept until its refresh time. Concurrent callers share
 * one AssumeRole in flight per key.
 */
@Injectable()
export class RoleChainService {
  private jump?: HeldCredentials;
  private readonly jumpFlight = new SingleFlight<HeldCredentials>();
  private readonly sessions: LRUCache<string, HeldCredentials>;
  private readonly sessionFlights = new KeyedFlights<string, HeldCredentials>();

  constructor(
    @Inject(AWS_APIS) private readonly aws: AwsApis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly upstream: Upstream,
  ) {
    // TTLs on the injected clock, read on every check (no cached "now").
    this.sessions = new LRUCache({ max: config.cacheMaxEntries, perf: { now: clock }, ttlResolution: 0 });
  }

  /** Credentials of the customer's role, assumed through the jump role when one is configured. */
  async assumeCustomer(target: CustomerTarget, deadline: Deadline, options: AssumeOptions = {}): Promise<NamedSession> {
    if (options.reuse === false) return this.runChain(target, deadline);
    const key = sessionKey(target);
    const held = this.sessions.get(key);
    if (held && this.clock() < held.refreshAt) return held.credentials;
    const fresh = await this.sessionFlights.run(key, async () => {
      const session = this.hold(await this.runChain(target, deadline), target.role.arn);
      const ttl = session.refreshAt - this.clock();
      if (ttl > 0) this.sessions.set(key, session, { ttl });
      return session;
    });
    return fresh.credentials;
  }

  /** Drops the held customer session of one target (ECR rejected it as expired or unknown). */
  forgetSession(target: CustomerTarget): void {
    this.sessions.delete(sessionKey(target));
  }

  /** Drops held customer credentials of a role (its trust or external ID changed). */
  forgetRole(roleArn: string): void {
    const doomed = [...this.sessions.entries()].filter(([, held]) => held.roleArn === roleArn);
    for (const [key] of doomed) this.sessions.delete(key);
  }

  private async runChain(target: CustomerTarget, deadline: Deadline): Promise<NamedSession> {
    const hops = planChain(target, this.config, this.clock());
    const customer = hops[hops.length - 1];
    if (hops.length === 1) return this.assume('service', customer, deadline);
    try {
      return await this.assume((await this.jumpCredentials(hops[0], deadline)).credentials, customer, deadline);
    } catch (e) {
      // Jump credentials can die before their recorded expiry, or be forgotten by STS (a
      // revoked session, clock skew): assume the jump role again, once, and go on.
      if (!isRejectedSession(e)) throw e;
      this.jump = undefined;
      return this.assume((await this.jumpCredentials(hops[0], deadline)).credentials, customer, deadline);
    }
  }

  /** Assumes the jump role alone (health checks). Throws JUMP_ROLE_FAILED and friends. */
  async checkJump(deadline: Deadline, force = false): Promise<SessionCredentials | undefined> {
    const hop = planJumpHop(this.config, this.clock());
    if (!hop) return undefined;
    if (force) this.jump = undefined;
    return (await this.jumpCredentials(hop, deadline)).credentials;
  }

  /** Drops the held jump credentials (they are fetched again on next use). */
  forgetJump(): void {
    this.jump = undefined;
  }

  private async jumpCredentials(hop: ChainHop, deadline: Deadline): Promise<HeldCredentials> {
    if (this.jump && this.clock() < this.jump.refreshAt) return this.jump;
    return this.jumpFlight.run(
      async () => (this.jump = this.hold(await this.assume('service', hop, deadline), hop.roleArn)),
    );
  }

  private hold(credentials: NamedSession, roleArn: string): HeldCredentials {
    return {
      credentials,
      roleArn,
      // Held no longer than a token minted with it could still be served and refreshed.
      refreshAt:
        credentials.expiration.getTime() -
        effectiveBufferMs({
          refreshBufferMs: this.config.refreshBufferSeconds * 1000,
          minTtlMs: this.config.minTtlSeconds * 1000,
        }),
    };
  }

  private assume(caller: StsCaller, hop: ChainHop, deadline: Deadline): Promise<NamedSession> {
    const sts = this.aws.sts(caller);
    const hopContext =
      hop.step === 'jump'
        ? { step: 'jump' as const, roleArn: hop.roleArn }
        : {
            step: 'customer' as const,
            roleArn: hop.roleArn,
            trustedPrincipal: this.config.jumpRole?.role.arn,
            externalIdSent: hop.externalId !== undefined,
            viaJump: caller !== 'service',
          };
    return this.upstream
      .call(
        hopContext,
        (abortSignal) =>
          sts.assumeRole(
            {
              roleArn: hop.roleArn,
              sessionName: hop.sessionName,
              externalId: hop.externalId,
              durationSeconds: hop.durationSeconds,
              policy: hop.policy,
              sourceIdentity: hop.sourceIdentity,
              tags: hop.tags,
            },
            { abortSignal },
          ),
        deadline,
      )
      .then((credentials) => ({ ...credentials, sessionName: hop.sessionName }));
  }
}
