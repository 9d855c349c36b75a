/** What the emulator answers one AWS call: authentication, then the STS or ECR handler. */
import type { IncomingMessage } from 'node:http';
import { AwsError, renderError, renderOk, type WireResponse } from './aws-error';
import { sessionFieldsOf } from './assume-role.validate';
import { authenticate } from './caller.auth';
import { handleEcr } from './ecr.handler';
import type { CallRecord, EmulatorOptions } from './emulator.types';
import type { IdentityStore } from './identity.store';
import type { ParsedCall } from './request.parse';
import { handleSts } from './sts.handler';

/** The call record of a call on arrival (its status is set once answered). */
export function recordOf(call: ParsedCall, now: number): CallRecord {
  return {
    service: call.service,
    action: call.action,
    region: call.region,
    accessKeyId: call.accessKeyId,
    params: call.params,
    ...(call.service === 'sts' ? sessionFieldsOf(call.params) : {}),
    status: 0,
    at: now,
  };
}

/** One call, read and parsed, with what answering it needs. */
export interface Answering {
  req: IncomingMessage;
  body: Buffer;
  tooLarge: boolean;
  call: ParsedCall;
  record: CallRecord;
  now: number;
  store: IdentityStore;
  opts: EmulatorOptions;
}

/** Answers a call as AWS would; sets the caller on the record. Never throws. */
export function answerCall({ req, body, tooLarge, call, record, now, store, opts }: Answering): WireResponse {
  const { service } = call;
  try {
    if (tooLarge)
      throw new AwsError(
        413,
        service === 'sts' ? 'RequestEntityTooLarge' : 'SerializationException',
        'Request body too large.',
      );
    const request = { method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body };
    const caller = authenticate({
      service,
      request,
      headers: req.headers,
      now,
      store,
      maxClockSkewSeconds: opts.maxClockSkewSeconds,
    });
    record.callerArn = caller.arn;
    if (call.error) throw call.error;
    const base = { action: call.action, caller, region: call.region, now, store };
    if (service === 'sts') return renderOk(service, handleSts({ ...base, params: call.params }));
    const tokenLifetimeSeconds = opts.ecrTokenLifetimeSeconds ?? 43200;
    return renderOk(
      service,
      handleEcr({
        ...base,
        service,
        input: call.input,
        tokenLifetimeSeconds,
        secretLength: opts.ecrSecretLength ?? 1536,
      }),
    );
  } catch (e) {
    const err =
      e instanceof AwsError
        ? e
        : new AwsError(
            500,
            service === 'sts' ? 'InternalFailure' : 'ServerException',
            'The emulator failed to handle this request.',
          );
    return renderError(service, err);
  }
}
