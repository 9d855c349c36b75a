import { INVALID_ROLE_ARNS, VALID_ROLE_ARNS } from '../../test/fixtures/registry-keys';
import { parseRoleArn } from './role-arn';

describe('parseRoleArn', () => {
  it.each(VALID_ROLE_ARNS)('parses $input ($why)', ({ input, expected }) => {
    expect(parseRoleArn(input)).toMatchObject({ arn: input, ...expected });
  });

  it.each(INVALID_ROLE_ARNS)('refuses $input ($why)', ({ input }) => {
    expect(parseRoleArn(input)).toBeUndefined();
  });

  it('returns undefined for a non-string', () => {
    expect(parseRoleArn(null as unknown as string)).toBeUndefined();
  });
});
