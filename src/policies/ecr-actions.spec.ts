import { ACCESSES, AUTH_TOKEN_ACTIONS, REGISTRY_KINDS, ecrActions, repositoryActions } from './ecr-actions';

describe('ecrActions', () => {
  it.each([
    [
      'private pull',
      'pull',
      'private',
      [
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchCheckLayerAvailability',
      ],
    ],
    [
      'private push',
      'push',
      'private',
      [
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
      ],
    ],
    [
      'public pull',
      'pull',
      'public',
      ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken', 'ecr-public:BatchCheckLayerAvailability'],
    ],
    [
      'public push',
      'push',
      'public',
      [
        'ecr-public:GetAuthorizationToken',
        'sts:GetServiceBearerToken',
        'ecr-public:BatchCheckLayerAvailability',
        'ecr-public:InitiateLayerUpload',
        'ecr-public:UploadLayerPart',
        'ecr-public:CompleteLayerUpload',
        'ecr-public:PutImage',
      ],
    ],
  ] as const)('%s', (_name, access, kind, expected) => {
    expect(ecrActions(access, kind)).toEqual(expected);
  });

  it('push is pull plus uploads, for both kinds', () => {
    for (const kind of REGISTRY_KINDS) {
      const pull = repositoryActions('pull', kind);
      expect(repositoryActions('push', kind).slice(0, pull.length)).toEqual(pull);
    }
  });

  it('never lists an action twice and keeps login actions out of the repository actions', () => {
    for (const kind of REGISTRY_KINDS) {
      for (const access of ACCESSES) {
        const all = ecrActions(access, kind);
        expect(new Set(all).size).toBe(all.length);
        expect(repositoryActions(access, kind).some((a) => AUTH_TOKEN_ACTIONS[kind].includes(a))).toBe(false);
      }
    }
  });
});
