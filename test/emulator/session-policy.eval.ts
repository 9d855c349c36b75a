/**
 * Inline session policies: parsing (as STS's MalformedPolicyDocument checks do) and evaluation of
 * Allow / Deny with `Action` / `NotAction` and `Resource` / `NotResource` wildcards.
 * `Condition` blocks are not evaluated: a statement applies as if its conditions held.
 */
import { AwsError } from './aws-error';

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
}

export interface SessionPolicy {
  text: string;
  statements: PolicyStatement[];
}

const malformed = (message: string): AwsError => new AwsError(400, 'MalformedPolicyDocument', message);

function stringList(v: unknown, what: string): string[] | undefined {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((x): x is string => typeof x === 'string'))
    throw malformed(`Syntax errors in policy. ${what} must be a string or a list of strings.`);
  return list;
}

/** Parses a session policy; throws `MalformedPolicyDocument` like STS. */
export function parseSessionPolicy(text: string): SessionPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('The policy is not in the valid JSON format.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('Syntax errors in policy.');
  const raw = (doc as Record<string, unknown>)['Statement'];
  if (raw === undefined) throw malformed('Syntax errors in policy. The policy must contain a Statement.');
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((s): PolicyStatement => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw malformed('Syntax errors in policy.');
    const st = s as Record<string, unknown>;
    if (st['Effect'] !== 'Allow' && st['Effect'] !== 'Deny')
      throw malformed('Syntax errors in policy. Effect must be Allow or Deny.');
    const actions = stringList(st['Action'], 'Action');
    const notActions = stringList(st['NotAction'], 'NotAction');
    if (!actions === !notActions)
      throw malformed('Syntax errors in policy. A statement needs exactly one of Action and NotAction.');
    const resources = stringList(st['Resource'], 'Resource');
    const notResources = stringList(st['NotResource'], 'NotResource');
    if (!resources && !notResources) throw malformed('Policy statement must contain resources.');
    return { effect: st['Effect'], actions, notActions, resources, notResources };
  });
  return { text, statements };
}

/** IAM-style wildcard match (`*`, `?`); `caseInsensitive` for action names. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's').test(value);
}

function applies(st: PolicyStatement, action: string, resource: string): boolean {
  const actionHit = st.actions
    ? st.actions.some((p) => wildcardMatch(p, action, true))
    : !st.notActions!.some((p) => wildcardMatch(p, action, true));
  const resourceHit = st.resources
    ? st.resources.some((p) => wildcardMatch(p, resource))
    : !st.notResources!.some((p) => wildcardMatch(p, resource));
  return actionHit && resourceHit;
}

/** True when the policy allows `action` on `resource` (an explicit Deny wins). */
export function policyAllows(policy: SessionPolicy, action: string, resource: string): boolean {
  if (policy.statements.some((s) => s.effect === 'Deny' && applies(s, action, resource))) return false;
  return policy.statements.some((s) => s.effect === 'Allow' && applies(s, action, resource));
}
