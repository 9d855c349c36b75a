import type { ErrorCode } from '../errors/error-codes';

/** The last validation of one configured role. */
export interface RoleCheck {
  readonly name: string;
  readonly roleArn: string;
  /** null until the first check ends. */
  readonly ok: boolean | null;
  readonly checkedAt: string | null;
  /** When the credentials (jump) or token (probe) obtained by the check expire. */
  readonly expiresAt: string | null;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

export type RolesStatus = 'ok' | 'degraded' | 'unconfigured' | 'pending';

/** The overall status, and whether it is answered 503. Pure. */
export function rolesStatus(checks: readonly RoleCheck[]): { status: RolesStatus; httpStatus: number } {
  if (checks.length === 0) return { status: 'unconfigured', httpStatus: 200 };
  if (checks.some((c) => c.ok === false)) return { status: 'degraded', httpStatus: 503 };
  if (checks.some((c) => c.ok === null)) return { status: 'pending', httpStatus: 200 };
  return { status: 'ok', httpStatus: 200 };
}
