/**
 * Public and internal types of the AWS emulator (STS, ECR, ECR Public over HTTP).
 * The emulator is test tooling: it imports only node built-ins.
 */

/** The services the emulator answers, as named in the SigV4 credential scope. */
export type ServiceName = 'sts' | 'ecr' | 'ecr-public';

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The emulator's "AWS time" in ms since the epoch; default Date.now. Expiry is judged with it. */
  clock?: () => number;
  /** Real delay (ms) added before every answer; default 0. */
  latencyMs?: number;
  /** Lifetime of ECR / ECR Public authorization tokens; default 43200 (12 h). */
  ecrTokenLifetimeSeconds?: number;
  /** Length in characters of the ECR password (the part after `AWS:`); default 1536 (token ≈ 2 KB). */
  ecrSecretLength?: number;
  /**
   * When set, requests whose `x-amz-date` is further than this from the emulator clock are refused
   * (STS 403 `SignatureDoesNotMatch` / ECR 400 `InvalidSignatureException` "Signature expired: …").
   * Off by default, so tests can move the clock freely.
   */
  maxClockSkewSeconds?: number;
  /** Keep at most this many call records and issued ECR tokens (oldest dropped); default unlimited. For benchmarks. */
  historyLimit?: number;
}

/** A long-lived identity (IAM user), known by its access key id. */
export interface UserSpec {
  /** e.g. `arn:aws:iam::111111111111:user/ecr-auth` */
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** One statement of a role's trust policy. */
export interface TrustStatement {
  /**
   * Who may assume the role: a user ARN, a role ARN (any session of that role), an assumed-role
   * session ARN, a 12-digit account id or `arn:<partition>:iam::<account>:root` (any principal of that
   * account), or `*` (anyone).
   */
  principal: string;
  /** When set, the `sts:ExternalId` condition: the request's ExternalId must equal it exactly. */
  externalId?: string;
  /**
   * The actions the statement allows: `sts:AssumeRole` (default), `sts:SetSourceIdentity`,
   * `sts:TagSession`, or `sts:*`. AssumeRole with a SourceIdentity (or from a session that
   * carries one) needs a matching statement allowing sts:SetSourceIdentity; with Tags, one
   * allowing sts:TagSession.
   */
  actions?: string[];
}

export interface RoleSpec {
  /** e.g. `arn:aws:iam::222222222222:role/ecr-pull` (a path is allowed) */
  arn: string;
  trust: TrustStatement[];
  /** The role's MaxSessionDuration; default 3600. */
  maxSessionDurationSeconds?: number;
  /** The role's own permissions allow ecr:GetAuthorizationToken; default true. */
  ecr?: boolean;
  /** The role's own permissions allow ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken; default true. */
  ecrPublic?: boolean;
  /** The role's own permissions allow sts:AssumeRole (role chaining from its sessions); default true. */
  assumeRole?: boolean;
}

interface FaultTarget {
  /** Only calls to this service; default any. */
  service?: ServiceName;
  /** Only this action (`AssumeRole`, `GetCallerIdentity`, `GetAuthorizationToken`…); default any. */
  action?: string;
  /** How many matching calls it applies to; default 1; `Infinity` allowed. */
  times?: number;
}

/** A fault queued with `inject`; the first queued fault matching a call applies to it. */
export type Fault = FaultTarget &
  (
    | { kind: 'throttle' }
    | { kind: 'server-error'; status?: number }
    | { kind: 'latency'; delayMs: number }
    | { kind: 'silence' }
    | { kind: 'reset' }
    | { kind: 'error'; status: number; code: string; message: string }
  );

export type FaultKind = Fault['kind'];

/** One call as the emulator saw it. */
export interface CallRecord {
  service: ServiceName;
  /** `AssumeRole`, `GetCallerIdentity`, `GetAuthorizationToken`…; '' when none could be read. */
  action: string;
  /** Region of the SigV4 credential scope; '' when unsigned or unreadable. */
  region: string;
  /** Access key id of the credential scope; '' when unsigned. */
  accessKeyId: string;
  /** ARN of the authenticated caller (user or assumed-role session). */
  callerArn?: string;
  /** STS AssumeRole: the SourceIdentity the request carried. */
  sourceIdentity?: string;
  /** STS AssumeRole: the session tags the request carried, in the request's order. */
  tags?: Array<{ key: string; value: string }>;
  /** STS form parameters, or ECR JSON members (non-strings JSON-encoded). */
  params: Record<string, string>;
  /** HTTP status answered; 0 while pending, and for `silence` / `reset`. */
  status: number;
  /** AWS error code answered, if any. */
  errorCode?: string;
  /** The injected fault that applied, if any. */
  fault?: FaultKind;
  /** Emulator clock (ms) when the call arrived. */
  at: number;
}

/** Temporary credentials issued by AssumeRole, with what the emulator remembers about them. */
export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ms since the epoch (emulator clock). */
  expiresAt: number;
  roleArn: string;
  roleName: string;
  roleId: string;
  partition: string;
  account: string;
  sessionName: string;
  externalId?: string;
  /** The inline session policy text, if one was passed. */
  policy?: string;
  /** Assumed with role-session credentials (role chaining). */
  chained: boolean;
  /** The session's SourceIdentity: set by this AssumeRole, or carried from the caller's session. */
  sourceIdentity?: string;
  /** The session tags set by this AssumeRole. */
  tags?: Array<{ key: string; value: string }>;
  /** ARN of the caller that assumed it. */
  sourceArn: string;
  issuedAt: number;
}

/** An ECR or ECR Public token handed out. */
export interface IssuedEcrToken {
  service: 'ecr' | 'ecr-public';
  /** The password (the part after `AWS:` in the decoded token). */
  secret: string;
  callerArn: string;
  region: string;
  /** ms since the epoch (emulator clock). */
  expiresAt: number;
}
