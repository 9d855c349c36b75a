import { z } from 'zod';
import { VALUE_FREE, issueLines } from './zod-issues';

const schema = z.strictObject({
  name: z.string().max(3),
  tags: z.array(z.string()).min(1).optional(),
  count: z.number().int().max(9).optional(),
  access: z.enum(['pull', 'push']).optional(),
  code: z
    .string()
    .regex(/^[a-z]+$/, { message: 'must be lower-case letters' })
    .optional(),
});

function lines(value: unknown, limit?: number): string[] {
  const parsed = schema.safeParse(value, VALUE_FREE);
  if (parsed.success) throw new Error('accepted');
  return issueLines(parsed.error.issues, (path) => path.map(String).join('.'), limit);
}

describe('issueLines with VALUE_FREE', () => {
  it.each([
    ['a missing field', {}, ['name: missing']],
    ['a wrong type', { name: 7 }, ['name: expected string']],
    ['a long string', { name: 'Qx7Qx7' }, ['name: at most 3 characters']],
    ['an empty list', { name: 'a', tags: [] }, ['tags: at least 1 items']],
    ['a large number', { name: 'a', count: 10 }, ['count: at most 9']],
    ['an unknown value', { name: 'a', access: 'Qx7' }, ['access: must be one of pull, push']],
    ["the schema's own message", { name: 'a', code: 'Qx7' }, ['code: must be lower-case letters']],
    ['an unknown field', { name: 'a', extra: 1 }, ['has an unknown field "extra"']],
    ['an unknown field of an unusual name', { name: 'a', 'Qx7 <x>': 1 }, ['has an unknown field with an unusual name']],
  ])('words %s without the value', (_why, value, expected) => {
    const out = lines(value);
    expect(out).toEqual(expected);
    expect(out.join()).not.toContain('Qx7');
  });

  it('keeps the first issue of each field, up to the limit', () => {
    expect(lines({ name: 1, count: 'x', access: 'x' })).toHaveLength(3);
    expect(lines({ name: 1, count: 'x', access: 'x' }, 2)).toEqual(['name: expected string', 'count: expected number']);
  });
});
