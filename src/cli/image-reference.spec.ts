import { registryOfImage } from './image-reference';

const ECR = '222222222222.dkr.ecr.eu-west-1.amazonaws.com';
const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('registryOfImage', () => {
  it.each([
    ['a tag', `${ECR}/team/app:1.2`, { domain: ECR, host: ECR }],
    ['no tag', `${ECR}/app`, { domain: ECR, host: ECR }],
    ['a digest', `${ECR}/team/app@${DIGEST}`, { domain: ECR, host: ECR }],
    ['a tag and a digest', `${ECR}/app:1@${DIGEST}`, { domain: ECR, host: ECR }],
    ['a port: the key drops it, the kubelet matches any port', `${ECR}:443/app:1`, { domain: `${ECR}:443`, host: ECR }],
    ['ECR Public', 'public.ecr.aws/acme/app:latest', { domain: 'public.ecr.aws', host: 'public.ecr.aws' }],
    [
      'upper case kept as the image spells it',
      `${ECR.toUpperCase()}/app`,
      { domain: ECR.toUpperCase(), host: ECR.toUpperCase() },
    ],
    ['localhost', 'localhost/app', { domain: 'localhost', host: 'localhost' }],
    ['another registry', 'ghcr.io/acme/app:1', { domain: 'ghcr.io', host: 'ghcr.io' }],
  ])('%s', (_why, image, expected) => {
    expect(registryOfImage(image)).toEqual(expected);
  });

  it.each([
    ['a Docker Hub library image', 'nginx:1.27'],
    ['a Docker Hub user image', 'acme/app:1'],
    ['empty', ''],
    ['a domain alone', ECR],
    ['a domain and a slash', `${ECR}/`],
    ['whitespace', `${ECR}/app :1`],
    ['a leading slash', `/${ECR}/app`],
    ['userinfo in the domain', `user@${ECR}/app`],
    ['a port without a host', ':443/app'],
    ['over-long', `${ECR}/${'a'.repeat(5000)}`],
  ])('none for %s', (_why, image) => {
    expect(registryOfImage(image)).toBeUndefined();
  });
});
