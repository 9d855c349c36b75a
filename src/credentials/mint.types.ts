import type { Access } from '../policies/ecr-actions';
import type { RegistryHost } from '../registry/registry-host';
import type { RegistryKey } from '../registry/registry-key';

/** A request, already validated locally: everything that decides the token. */
export interface MintIdentity {
  readonly host: RegistryHost;
  readonly key: RegistryKey;
  readonly access?: Access;
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
