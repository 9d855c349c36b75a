/**
 * The emulator's control routes, on its own port, for driving it from outside the process
 * (curl, another program): seed identities and read the call record. AWS calls are all
 * `POST /`; these live under `/_emulator/`, which no AWS client sends. Answers are JSON.
 *
 * | route                                         | body / answer                                      |
 * | --------------------------------------------- | -------------------------------------------------- |
 * | `POST /_emulator/roles`                       | a `RoleSpec` → 201 `{"arn"}` (replaces by ARN)     |
 * | `POST /_emulator/users`                       | a `UserSpec` → 201 `{"arn","accessKeyId"}`         |
 * | `GET /_emulator/calls[?service=&action=]`     | 200 `[CallRecord…]`, oldest first                  |
 * | `DELETE /_emulator/calls`                     | 204, the record emptied                            |
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallRecord, RoleSpec, ServiceName, UserSpec } from './emulator.types';

export const CONTROL_PREFIX = '/_emulator/';

/** What the control routes drive: the emulator's own methods. */
export interface Controlled {
  addRole(r: RoleSpec): void;
  addUser(u: UserSpec): void;
  readonly calls: CallRecord[];
  clearCalls(): void;
}

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Answers one control request (its body already read). */
export function handleControl(emu: Controlled, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  try {
    switch (route) {
      case 'POST /_emulator/roles': {
        const role = roleSpec(json(body));
        emu.addRole(role);
        return answer(res, 201, { arn: role.arn });
      }
      case 'POST /_emulator/users': {
        const user = userSpec(json(body));
        emu.addUser(user);
        return answer(res, 201, { arn: user.arn, accessKeyId: user.accessKeyId });
      }
      case 'GET /_emulator/calls': {
        const service = url.searchParams.get('service') as ServiceName | null;
        const action = url.searchParams.get('action');
        const calls = emu.calls.filter((c) => (!service || c.service === service) && (!action || c.action === action));
        return answer(res, 200, calls);
      }
      case 'DELETE /_emulator/calls':
        emu.clearCalls();
        return answer(res, 204, undefined);
      default:
        throw new Refused(404, `no control route ${route}: see test/emulator/README.md`);
    }
  } catch (e) {
    const status = e instanceof Refused ? e.status : 400;
    answer(res, status, { error: e instanceof Error ? e.message : String(e) });
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body) + '\n';
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function json(body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Refused(400, 'the body is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Refused(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

function text(o: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const v = o[field];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v === '') throw new Refused(400, `"${field}" must be a non-empty string`);
  return v;
}

function flag(o: Record<string, unknown>, field: string): boolean | undefined {
  const v = o[field];
  if (v !== undefined && typeof v !== 'boolean') throw new Refused(400, `"${field}" must be true or false`);
  return v;
}

function roleSpec(o: Record<string, unknown>): RoleSpec {
  if (!Array.isArray(o.trust) || o.trust.length === 0)
    throw new Refused(400, '"trust" must be a list of {"principal", "externalId"?, "actions"?}');
  const trust = o.trust.map((t: unknown) => {
    if (!t || typeof t !== 'object') throw new Refused(400, 'each "trust" statement must be an object');
    const s = t as Record<string, unknown>;
    const actions = s.actions;
    if (actions !== undefined && !(Array.isArray(actions) && actions.every((a) => typeof a === 'string')))
      throw new Refused(400, '"actions" must be a list of strings, e.g. ["sts:AssumeRole","sts:SetSourceIdentity"]');
    return {
      principal: text(s, 'principal', true) as string,
      ...(s.externalId !== undefined ? { externalId: text(s, 'externalId', true) } : {}),
      ...(actions !== undefined ? { actions: actions } : {}),
    };
  });
  const max = o.maxSessionDurationSeconds;
  if (max !== undefined && typeof max !== 'number')
    throw new Refused(400, '"maxSessionDurationSeconds" must be a number');
  return {
    arn: text(o, 'arn', true) as string,
    trust,
    ...(max !== undefined ? { maxSessionDurationSeconds: max } : {}),
    ...(flag(o, 'ecr') !== undefined ? { ecr: flag(o, 'ecr') } : {}),
    ...(flag(o, 'ecrPublic') !== undefined ? { ecrPublic: flag(o, 'ecrPublic') } : {}),
    ...(flag(o, 'assumeRole') !== undefined ? { assumeRole: flag(o, 'assumeRole') } : {}),
  };
}

function userSpec(o: Record<string, unknown>): UserSpec {
  return {
    arn: text(o, 'arn', true) as string,
    accessKeyId: text(o, 'accessKeyId', true) as string,
    secretAccessKey: text(o, 'secretAccessKey', true) as string,
  };
}
