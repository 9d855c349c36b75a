import { WORLD } from '../fixtures/aws-world';

/** A role a newcomer seeds: trusts the jump role with its own external ID, SourceIdentity and tags allowed. */
export const SAMPLE_ROLE = {
  arn: 'arn:aws:iam::777777777777:role/my-pull',
  trust: [
    {
      principal: WORLD.jump.arn,
      externalId: 'my-external-id',
      actions: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
    },
  ],
};

/**
 * What a newcomer needs to point their own configuration at the emulator: its URL, the
 * service identity's access keys and the jump role (the emulator's test values, nobody's
 * secrets), how to seed a role and how to read the call record. See docs/emulator.md.
 */
export function emulatorBanner(url: string): string[] {
  return [
    `AWS emulator (STS, ECR, ECR Public) on ${url}`,
    "  The service identity (the emulator's test keys) and the jump role, for your own configuration:",
    `    export AWS_ENDPOINT_URL=${url} AWS_REGION=${WORLD.region}`,
    `    export AWS_ACCESS_KEY_ID=${WORLD.service.accessKeyId}`,
    `    export AWS_SECRET_ACCESS_KEY=${WORLD.service.secretAccessKey}`,
    `    export ECR_AUTH_JUMP_ROLE_ARN=${WORLD.jump.arn}`,
    `    export ECR_AUTH_JUMP_EXTERNAL_ID=${WORLD.jump.externalId}`,
    `  Seeded customer: ${WORLD.customer.arn}, external ID ${WORLD.customer.externalId}, registry ${WORLD.customer.registry}`,
    '  Seed a role (trust, external ID, and the actions sts:SetSourceIdentity / sts:TagSession if wanted):',
    `    curl -s -X POST ${url}/_emulator/roles -d '${JSON.stringify(SAMPLE_ROLE)}'`,
    '  Read the call record (what the service asked AWS; DELETE empties it):',
    `    curl -s '${url}/_emulator/calls?service=sts&action=AssumeRole'`,
  ];
}
