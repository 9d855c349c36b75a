import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  ECRPUBLICClient,
  GetAuthorizationTokenCommand as GetPublicAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr-public';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AwsApis, AwsCredentials, EcrApi, EcrTarget, StsApi, StsCaller } from './aws.ports';

export interface AwsClientFactoryOptions {
  /** STS region: the service's AWS_REGION (regional endpoint). */
  readonly stsRegion: string;
  /** Bounds one upstream attempt (connect and idle socket). */
  readonly upstreamTimeoutMs: number;
}

// ECR Public's API lives in us-east-1 only.
const ECR_PUBLIC_REGION = 'us-east-1';

/**
 * Builds and owns the AWS SDK clients. One keep-alive HTTP handler (the connection pool) is
 * shared by every client; clients signed by the service identity are built once and reused.
 * Clients for a customer's temporary credentials are thin wrappers around that same handler:
 * the SDK can't swap credentials per call safely (its provider memoisation is shared across
 * concurrent calls), so they are built per set of credentials and own no sockets. The SDK's
 * own retries are off (`maxAttempts: 1`): p-retry is the only retry layer.
 */
export class AwsClientFactory implements AwsApis {
  private readonly handler: NodeHttpHandler;
  private serviceSts?: STSClient;
  /** ECR proved to be reached through a custom endpoint: FIPS and dual-stack variants don't apply. */
  private customEcrEndpoint = false;

  constructor(private readonly options: AwsClientFactoryOptions) {
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    this.handler = new NodeHttpHandler({
      connectionTimeout: options.upstreamTimeoutMs,
      requestTimeout: options.upstreamTimeoutMs,
      // Without this the handler only warns when a response stalls.
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    });
  }

  sts(caller: StsCaller): StsApi {
    const client = caller === 'service' ? (this.serviceSts ??= this.stsClient()) : this.stsClient(caller);
    return {
      async assumeRole(request, options) {
        const out = await client.send(
          new AssumeRoleCommand({
            RoleArn: request.roleArn,
            RoleSessionName: request.sessionName,
            ExternalId: request.externalId,
            DurationSeconds: request.durationSeconds,
            Policy: request.policy,
            SourceIdentity: request.sourceIdentity,
            Tags: request.tags?.map((t) => ({ Key: t.key, Value: t.value })),
          }),
          { abortSignal: options?.abortSignal },
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
          throw Object.assign(new Error('STS AssumeRole answered without credentials'), { name: 'MalformedResponse' });
        }
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
      },
      async callerIdentity(options) {
        const out = await client.send(new GetCallerIdentityCommand({}), { abortSignal: options?.abortSignal });
        return { arn: out.Arn ?? '', account: out.Account ?? '' };
      },
    };
  }

  ecr(target: EcrTarget, credentials: AwsCredentials): EcrApi {
    return target.kind === 'public' ? this.ecrPublic(credentials) : this.ecrPrivate(target, credentials);
  }

  /** Closes the shared connection pool; called once at shutdown. */
  destroy(): void {
    this.handler.destroy();
  }

  private stsClient(credentials?: AwsCredentials): STSClient {
    return new STSClient({ ...this.common(), region: this.options.stsRegion, ...(credentials ? { credentials } : {}) });
  }

  private ecrPrivate(target: EcrTarget, credentials: AwsCredentials): EcrApi {
    const build = (variants: boolean) =>
      new ECRClient({
        ...this.common(),
        region: target.region,
        credentials,
        useFipsEndpoint: variants && target.fips,
        useDualstackEndpoint: variants && target.dualStack,
      });
    const wantsVariant = (target.fips || target.dualStack) && !this.customEcrEndpoint;
    let client = build(wantsVariant);
    return {
      getAuthorizationToken: async (options) => {
        const send = () => client.send(new GetAuthorizationTokenCommand({}), { abortSignal: options?.abortSignal });
        let out;
        try {
          out = await send();
        } catch (e) {
          // A custom endpoint (AWS_ENDPOINT_URL*, or endpoint_url in the shared AWS config file)
          // makes the SDK refuse FIPS and dual-stack variants before any network call. A custom
          // endpoint is the operator's choice of where ECR is: use it as it is, from now on.
          if (!wantsVariant || !isCustomEndpointConflict(e)) throw e;
          this.customEcrEndpoint = true;
          client = build(false);
          out = await send();
        }
        const data = out.authorizationData?.[0];
        return checkedAuthorization(data?.authorizationToken, data?.expiresAt);
      },
    };
  }

  private ecrPublic(credentials: AwsCredentials): EcrApi {
    const client = new ECRPUBLICClient({ ...this.common(), region: ECR_PUBLIC_REGION, credentials });
    return {
      async getAuthorizationToken(options) {
        const out = await client.send(new GetPublicAuthorizationTokenCommand({}), {
          abortSignal: options?.abortSignal,
        });
        // ECR Public answers one object, not a list.
        return checkedAuthorization(out.authorizationData?.authorizationToken, out.authorizationData?.expiresAt);
      },
    };
  }

  private common() {
    return { maxAttempts: 1, requestHandler: this.handler };
  }
}

function isCustomEndpointConflict(e: unknown): boolean {
  return e instanceof Error && e.name === 'EndpointError' && /custom endpoint/i.test(e.message);
}

function checkedAuthorization(token: string | undefined, expiresAt: Date | undefined) {
  if (!token || !expiresAt) {
    throw Object.assign(new Error('ECR answered without an authorization token'), { name: 'MalformedResponse' });
  }
  return { authorizationToken: token, expiresAt };
}
