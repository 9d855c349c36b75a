import type { Access } from '../policies/ecr-actions';
import type { RegistryHost } from '../registry/registry-host';
import type { RegistryKey } from '../registry/registry-key';
import type { SessionTag } from '../sts/session-tags';

/** A request, already validated locally: everything that decides the token. */
export interface MintIdentity {
  readonly host: RegistryHost;
  readonly key: RegistryKey;
  readonly access?: Access;
  /** The customer hop's SourceIdentity (ECR_AUTH_SOURCE_IDENTITY=caller): the caller's name, mapped. */
  readonly sourceIdentity?: string;
  /** The customer hop's session tags, in canonical order (by key). */
  readonly sessionTags?: readonly SessionTag[];
  /** The repositories the session is scoped to: sorted, without repeats. */
  readonly repositories?: readonly string[];
}

/** A minted registry login, valid until `expiresAt`. */
export interface RegistryLogin {
  readonly registry: string;
  readonly username: string;
  readonly password: string;
  readonly expiresAt: Date;
  /** The STS session that minted it (CloudTrail's RoleSessionName), for role keys. */
  readonly sessionName?: string;
}
