#!/usr/bin/env node
/**
 * ecr-auth: the operator's command line. `ecr-auth policies` prints, offline, the same
 * onboarding documents as GET /onboarding/policies (byte for byte, for the same inputs).
 * Node built-ins and the pure policy builders only: no framework, no AWS call.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { splitTagKeys, tagKeysProblem } from '../config/session-tag-keys';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { Partition, isPartition } from '../registry/partition';
import { checkExternalId } from '../registry/registry-key';
import { parseRoleArn } from '../registry/role-arn';
import { canonicalJson } from '../policies/canonical-json';
import { ACCESSES, REGISTRY_KINDS } from '../policies/ecr-actions';
import { FieldLabel, isServiceIdentityArn, renderOnboardingDocuments } from '../policies/onboarding-bundle';
import { SessionFeatures, jumpRoleTrustPolicy } from '../policies/onboarding-documents';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `Usage:
  ecr-auth policies --external-id <id> [--access pull|push] [--kind private|public]
                    (--jump-role-arn <arn> | --service-identity-arn <arn>)
                    [--repository-arn <arn>]... [--partition <partition>]
                    [--source-identity off|caller] [--session-tag-keys <key>,...]
      The customer's trust and permissions policies, the jump role's and the service
      identity's permissions policies: the same JSON as GET /onboarding/policies of a
      service with the same ECR_AUTH_SOURCE_IDENTITY and ECR_AUTH_SESSION_TAG_KEYS.
  ecr-auth jump-role-trust-policy --service-identity-arn <arn> [--jump-external-id <id>]
      The trust policy of the jump role (who may assume it).
  ecr-auth version
  ecr-auth help
`;

// The flags, by the name the policy builders use for them (for messages).
const FLAG: Record<Parameters<FieldLabel>[0], string> = {
  externalId: '--external-id',
  repositoryArn: '--repository-arn',
  jumpRoleArn: '--jump-role-arn',
  serviceIdentityArn: '--service-identity-arn',
};

class UsageError extends Error {}

/** Runs one command line; returns the exit code (0 done, 2 refused input). Writes only through `io`. */
export function run(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'policies':
        io.stdout(policies(rest));
        return 0;
      case 'jump-role-trust-policy':
        io.stdout(jumpTrust(rest));
        return 0;
      case 'version':
      case '--version':
        io.stdout(`${version()}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return 0;
      default:
        throw new UsageError(
          command === undefined ? 'a command is needed' : `unknown command "${command.slice(0, 40)}"`,
        );
    }
  } catch (e) {
    if (e instanceof EcrAuthError) {
      io.stderr(`ecr-auth: ${e.code}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || (e as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`ecr-auth: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

function policies(args: readonly string[]): string {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'external-id': { type: 'string' },
      access: { type: 'string', default: 'pull' },
      kind: { type: 'string', default: 'private' },
      'jump-role-arn': { type: 'string' },
      'service-identity-arn': { type: 'string' },
      'repository-arn': { type: 'string', multiple: true },
      partition: { type: 'string' },
      'source-identity': { type: 'string', default: 'off' },
      'session-tag-keys': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const externalId = values['external-id'];
  if (externalId === undefined) throw new UsageError('--external-id is required');
  const access = oneOf(values.access, ACCESSES, '--access');
  const kind = oneOf(values.kind, REGISTRY_KINDS, '--kind');
  const jumpRoleArn = values['jump-role-arn'];
  const serviceIdentityArn = values['service-identity-arn'];
  return renderOnboardingDocuments(
    {
      externalId,
      access,
      kind,
      repositoryArns: values['repository-arn'] ?? [],
      partition: partitionOf(values.partition, jumpRoleArn ?? serviceIdentityArn),
      features: featuresOf(values['source-identity'], values['session-tag-keys']),
      ...(jumpRoleArn !== undefined ? { jumpRoleArn } : { serviceIdentityArn }),
    },
    (field) => FLAG[field],
  );
}

function jumpTrust(args: readonly string[]): string {
  const { values } = parseArgs({
    args: [...args],
    options: { 'service-identity-arn': { type: 'string' }, 'jump-external-id': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const serviceIdentityArn = values['service-identity-arn'];
  if (serviceIdentityArn === undefined || !isServiceIdentityArn(serviceIdentityArn)) {
    throw new UsageError('--service-identity-arn must be the IAM role or user ARN the service runs as');
  }
  const externalId = values['jump-external-id'];
  if (externalId !== undefined) checkExternalId(externalId);
  return `${canonicalJson(jumpRoleTrustPolicy({ serviceIdentityArn, externalId }), 2)}\n`;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
}

/**
 * What the deployment sets on customer sessions, as the service reads it from
 * ECR_AUTH_SOURCE_IDENTITY and ECR_AUTH_SESSION_TAG_KEYS (the documents only need to know
 * whether any key is allowed, but a list the service would refuse is refused here too).
 */
function featuresOf(sourceIdentity: string | undefined, tagKeys: string | undefined): SessionFeatures {
  const keys = splitTagKeys(tagKeys);
  const problem = tagKeysProblem(keys);
  if (problem) throw new UsageError(`--session-tag-keys ${problem}`);
  return {
    sourceIdentity: oneOf(sourceIdentity, ['off', 'caller'] as const, '--source-identity') === 'caller',
    sessionTags: keys.length > 0,
  };
}

/** `--partition`, else the partition of the principal customers will trust, else aws. */
function partitionOf(flag: string | undefined, principal: string | undefined): Partition {
  if (flag !== undefined) {
    if (!isPartition(flag)) throw new UsageError('--partition must be a partition such as aws, aws-cn or aws-us-gov');
    return flag;
  }
  const fromArn =
    principal === undefined
      ? undefined
      : (parseRoleArn(principal)?.partition ?? /^arn:([a-z-]+):/.exec(principal)?.[1]);
  return isPartition(fromArn) ? fromArn : 'aws';
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
