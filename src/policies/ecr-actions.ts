/** The access a registry login is for. */
export type Access = 'pull' | 'push';

/** Amazon ECR (private registries) or ECR Public. */
export type RegistryKind = 'private' | 'public';

export const ACCESSES: readonly Access[] = ['pull', 'push'];
export const REGISTRY_KINDS: readonly RegistryKind[] = ['private', 'public'];

/**
 * The actions that mint a registry login. They take no resource: IAM only accepts them on
 * `"Resource": "*"`. ECR Public also needs `sts:GetServiceBearerToken`.
 * https://docs.aws.amazon.com/AmazonECR/latest/public/public-repository-policies.html
 */
export const AUTH_TOKEN_ACTIONS: Readonly<Record<RegistryKind, readonly string[]>> = {
  private: ['ecr:GetAuthorizationToken'],
  public: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'],
};

// Per-repository actions, in the order they appear in every generated document.
const REPOSITORY_ACTIONS: Readonly<Record<RegistryKind, Readonly<Record<Access, readonly string[]>>>> = {
  private: {
    pull: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
    push: ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'],
  },
  public: {
    pull: ['ecr-public:BatchCheckLayerAvailability'],
    push: [
      'ecr-public:InitiateLayerUpload',
      'ecr-public:UploadLayerPart',
      'ecr-public:CompleteLayerUpload',
      'ecr-public:PutImage',
    ],
  },
};

/**
 * The per-repository actions an access needs: pull's, and for push pull's plus the upload
 * actions (docker checks which layers exist before it uploads the missing ones).
 */
export function repositoryActions(access: Access, kind: RegistryKind): readonly string[] {
  const actions = REPOSITORY_ACTIONS[kind];
  return access === 'pull' ? actions.pull : [...actions.pull, ...actions.push];
}

/** Every action a session of this access needs: the login actions, then the repository actions. */
export function ecrActions(access: Access, kind: RegistryKind): readonly string[] {
  return [...AUTH_TOKEN_ACTIONS[kind], ...repositoryActions(access, kind)];
}
