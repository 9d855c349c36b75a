/** ECR and ECR Public GetAuthorizationToken (JSON 1.1 answers). */
import { ecrProxyEndpoint } from './arn.util';
import { AwsError } from './aws-error';
import type { Caller, IdentityStore } from './identity.store';
import * as random from './random.util';
import { policyAllows } from './session-policy.eval';

export interface EcrContext {
  service: 'ecr' | 'ecr-public';
  action: string;
  /** The parsed JSON request body. */
  input: Record<string, unknown>;
  caller: Caller;
  region: string;
  now: number;
  store: IdentityStore;
  tokenLifetimeSeconds: number;
  secretLength: number;
}

/** Handles one ECR / ECR Public call; returns the JSON body or throws an AwsError. */
export function handleEcr(ctx: EcrContext): string {
  if (ctx.action !== 'GetAuthorizationToken') throw new AwsError(400, 'UnknownOperationException', '');
  if (ctx.service === 'ecr-public') return publicToken(ctx);

  const registryIds = ctx.input['registryIds'];
  if (
    registryIds !== undefined &&
    !(Array.isArray(registryIds) && registryIds.every((r) => typeof r === 'string' && /^\d{12}$/.test(r)))
  ) {
    throw new AwsError(
      400,
      'InvalidParameterException',
      "Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]{12}]'",
    );
  }
  authorize(ctx, ['ecr:GetAuthorizationToken'], (role) => role.ecr);
  const accounts = registryIds?.length ? (registryIds as string[]) : [ctx.caller.account];
  const authorizationData = accounts.map((account) => ({
    ...issue(ctx),
    proxyEndpoint: ecrProxyEndpoint(account, ctx.region),
  }));
  return JSON.stringify({ authorizationData });
}

function publicToken(ctx: EcrContext): string {
  if (ctx.region !== 'us-east-1')
    throw new AwsError(400, 'UnsupportedCommandException', 'The action is not supported in this Region.');
  authorize(ctx, ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'], (role) => role.ecrPublic);
  return JSON.stringify({ authorizationData: issue(ctx) });
}

/** A role session needs its role's permission and, with a session policy, each action allowed by it. */
function authorize(
  ctx: EcrContext,
  actions: string[],
  roleAllows: (role: { ecr: boolean; ecrPublic: boolean }) => boolean,
): void {
  const session = ctx.caller.session;
  if (!session) return;
  const denied = (action: string, why: string): AwsError =>
    new AwsError(
      400,
      'AccessDeniedException',
      `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: * because no ${why} policy allows the ${action} action`,
    );
  const role = ctx.store.roles.get(session.roleArn);
  if (!role || !roleAllows(role)) throw denied(actions[0], 'identity-based');
  for (const action of actions) {
    if (session.policyDoc && !policyAllows(session.policyDoc, action, '*')) throw denied(action, 'session');
  }
}

function issue(ctx: EcrContext): { authorizationToken: string; expiresAt: number } {
  const secret = random.ecrSecret(ctx.secretLength);
  const expiresAt = ctx.now + ctx.tokenLifetimeSeconds * 1000;
  ctx.store.ecrTokens.push({ service: ctx.service, secret, callerArn: ctx.caller.arn, region: ctx.region, expiresAt });
  return { authorizationToken: Buffer.from(`AWS:${secret}`).toString('base64'), expiresAt: expiresAt / 1000 };
}
