/**
 * The narrow ports through which the service reaches AWS. SDK types stop here: the rest
 * of the code sees plain values, and tests reach the real SDK through the emulator.
 */

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When temporary credentials stop working. */
  readonly expiration?: Date;
}

export interface SessionCredentials extends AwsCredentials {
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface CallOptions {
  /** Aborts the call: the per-attempt timeout and the request deadline, combined. */
  readonly abortSignal?: AbortSignal;
}

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId?: string;
  readonly durationSeconds: number;
  /** Inline session policy (JSON), to down-scope the session. */
  readonly policy?: string;
  /** Set once, carried down the chain; needs sts:SetSourceIdentity in the role's trust policy. */
  readonly sourceIdentity?: string;
  /** Session tags; need sts:TagSession in the role's trust policy. */
  readonly tags?: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

export interface StsApi {
  assumeRole(request: AssumeRoleRequest, options?: CallOptions): Promise<SessionCredentials>;
  callerIdentity(options?: CallOptions): Promise<{ arn: string; account: string }>;
}

/** An ECR authorization token as the service returns it: base64 of `AWS:<secret>`. */
export interface EcrAuthorization {
  readonly authorizationToken: string;
  readonly expiresAt: Date;
}

export interface EcrApi {
  getAuthorizationToken(options?: CallOptions): Promise<EcrAuthorization>;
}

/** Which ECR endpoint to call: decided by the registry host. */
export interface EcrTarget {
  readonly kind: 'private' | 'public';
  readonly region: string;
  readonly fips: boolean;
  readonly dualStack: boolean;
}

/** Who signs an STS call: the service's own identity (the SDK's default chain) or given credentials. */
export type StsCaller = 'service' | AwsCredentials;

export interface AwsApis {
  sts(caller: StsCaller): StsApi;
  ecr(target: EcrTarget, credentials: AwsCredentials): EcrApi;
}

export const AWS_APIS = Symbol('AWS_APIS');
