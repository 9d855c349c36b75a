/**
 * An in-process AWS emulator for STS (AssumeRole, GetCallerIdentity), ECR and ECR Public
 * (GetAuthorizationToken), spoken to by the real AWS SDK v3 over HTTP. See README.md.
 * It prints nothing: the credentials and tokens it hands out are secrets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setMaxListeners } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { sleep } from '../../src/async/sleep';
import { AwsError, renderError, renderOk, type WireResponse } from './aws-error';
import { authenticate } from './caller.auth';
import { CONTROL_PREFIX, handleControl } from './control.routes';
import { handleEcr } from './ecr.handler';
import type {
  CallRecord,
  EmulatorOptions,
  Fault,
  IssuedEcrToken,
  IssuedSession,
  RoleSpec,
  ServiceName,
  UserSpec,
} from './emulator.types';
import { FaultQueue, faultError } from './fault.queue';
import { readBody, send } from './http.io';
import { IdentityStore } from './identity.store';
import { parseCall } from './request.parse';
import { sessionFieldsOf } from './assume-role.validate';
import { handleSts } from './sts.handler';

export type {
  CallRecord,
  EmulatorOptions,
  Fault,
  FaultKind,
  IssuedEcrToken,
  IssuedSession,
  RoleSpec,
  ServiceName,
  TrustStatement,
  UserSpec,
} from './emulator.types';

export class AwsEmulator {
  /** `http://127.0.0.1:PORT`: the endpoint for every client. */
  readonly url: string;
  readonly port: number;
  private readonly store = new IdentityStore();
  private readonly faults = new FaultQueue();
  private readonly log: CallRecord[] = [];
  private readonly sockets = new Set<Socket>();
  /** Aborted at close: emulated latency ends with it. */
  private readonly closing = new AbortController();
  private readonly closed$ = new Promise<void>((resolve) =>
    this.closing.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  private readonly clock: () => number;
  private clockOffsetMs = 0;
  private latencyMs: number;
  private closed = false;
  private readonly holds: Array<{ matches: (c: CallRecord) => boolean; released: Promise<void> }> = [];
  private readonly waiters: Array<{ matches: (c: CallRecord) => boolean; resolve: (c: CallRecord) => void }> = [];
  /** Calls being answered now, and the most there ever were at once (resettable). */
  inFlight = 0;
  maxInFlight = 0;

  private constructor(
    private readonly server: Server,
    private readonly opts: EmulatorOptions,
  ) {
    this.clock = opts.clock ?? Date.now;
    // Every call in flight listens for the close (emulated latency, holds).
    setMaxListeners(0, this.closing.signal);
    this.latencyMs = opts.latencyMs ?? 0;
    const address = server.address() as AddressInfo;
    this.port = address.port;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${host}:${this.port}`;
  }

  /** Starts listening (default 127.0.0.1, a free port). */
  static async start(opts: EmulatorOptions = {}): Promise<AwsEmulator> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const emulator = new AwsEmulator(server, opts);
    server.on('connection', (socket: Socket) => {
      emulator.sockets.add(socket);
      socket.on('close', () => emulator.sockets.delete(socket));
    });
    server.on('clientError', (_err, socket: Socket) => socket.destroy());
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      emulator.handle(req, res).catch(() => res.destroy());
    });
    return emulator;
  }

  /** The emulator's current time (ms): the clock option plus any `advanceClock`. */
  now(): number {
    return this.clock() + this.clockOffsetMs;
  }

  /** Moves the emulator's time forward (or back, with a negative value). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Adds a long-lived identity, or replaces the one with the same access key id. */
  addUser(u: UserSpec): void {
    this.store.addUser(u);
  }

  /** Adds a role, or replaces the one with the same ARN (sessions already issued stay valid). */
  addRole(r: RoleSpec): void {
    this.store.addRole(r);
  }

  /** Deletes a role: it can no longer be assumed, and its sessions lose their permissions. */
  removeRole(arn: string): void {
    this.store.roles.delete(arn);
  }

  /** STS answers `RegionDisabledException` for calls signed for this region. */
  disableRegion(region: string): void {
    this.store.disabledRegions.add(region);
  }

  enableRegion(region: string): void {
    this.store.disabledRegions.delete(region);
  }

  /** Queues a fault for the next matching call(s). */
  inject(f: Fault): void {
    this.faults.push(f);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Faults still queued, with the number of calls each has left. */
  pendingFaults(): Array<Fault & { left: number }> {
    return this.faults.pending();
  }

  /** Real delay added before every answer. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Every call so far, in arrival order (a copy of the list; records are final once answered). */
  get calls(): CallRecord[] {
    return [...this.log];
  }

  callsOf(service: ServiceName, action?: string): CallRecord[] {
    return this.log.filter((c) => c.service === service && (action === undefined || c.action === action));
  }

  clearCalls(): void {
    this.log.length = 0;
  }

  /** The ECR and ECR Public passwords handed out (the part after `AWS:`), oldest first. */
  issuedEcrSecrets(): string[] {
    return this.store.ecrTokens.map((t) => t.secret);
  }

  /** The ECR and ECR Public tokens handed out, with caller, region and expiry. */
  issuedEcrTokens(): IssuedEcrToken[] {
    return this.store.ecrTokens.map((t) => ({ ...t }));
  }

  /** The temporary credentials AssumeRole handed out, oldest first. */
  /**
   * Ends the issued sessions of a role now, before their recorded expiry (a revoked session, a
   * clock that jumped): STS answers `ExpiredToken`, ECR `ExpiredTokenException`. Returns how many.
   */
  endSessions(roleArn: string): number {
    const ended = [...this.store.sessions.values()].filter((s) => s.roleArn === roleArn);
    for (const session of ended) session.expiresAt = this.now();
    return ended.length;
  }

  /**
   * Forgets the issued sessions of a role, as if they had never been issued: STS answers
   * `InvalidClientTokenId`, ECR `UnrecognizedClientException`. Returns how many.
   */
  forgetSessions(roleArn: string): number {
    const forgotten = [...this.store.sessions.entries()].filter(([, s]) => s.roleArn === roleArn);
    for (const [key] of forgotten) this.store.sessions.delete(key);
    return forgotten.length;
  }

  issuedSessions(): IssuedSession[] {
    return [...this.store.sessions.values()].map(({ policyDoc: _omit, ...s }) => ({ ...s }));
  }

  /** `AWS_ENDPOINT_URL*` variables pointing every service at the emulator (for child processes). */
  endpointEnv(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_ENDPOINT_URL_STS: this.url,
      AWS_ENDPOINT_URL_ECR: this.url,
      AWS_ENDPOINT_URL_ECR_PUBLIC: this.url,
    };
  }

  /** Stops listening and destroys every connection, silenced ones included. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await closing;
  }

  private trimHistory(): void {
    const limit = this.opts.historyLimit;
    if (limit === undefined) return;
    if (this.log.length > limit) this.log.splice(0, this.log.length - limit);
    if (this.store.ecrTokens.length > limit) this.store.ecrTokens.splice(0, this.store.ecrTokens.length - limit);
  }

  private sleep(ms: number): Promise<void> {
    return sleep(ms, this.closing.signal);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req);
    if (!read || this.closed) return void res.destroy();
    // Seeding and the call record from outside the process (control.routes.ts); not recorded.
    if (req.url?.startsWith(CONTROL_PREFIX)) return handleControl(this, req, res, read.body);
    const call = parseCall(req.url ?? '/', req.headers, read.body);
    const record: CallRecord = {
      service: call.service,
      action: call.action,
      region: call.region,
      accessKeyId: call.accessKeyId,
      params: call.params,
      ...(call.service === 'sts' ? sessionFieldsOf(call.params) : {}),
      status: 0,
      at: this.now(),
    };
    this.log.push(record);
    this.arrived(record);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.respond(req, res, read, call, record);
    } finally {
      this.inFlight--;
    }
  }

  /**
   * Holds every call from now on that `matches` (before any latency or fault) until `release()`
   * (or `close()`); each held call is still recorded, counted in flight and announced to
   * `nextCall` on arrival.
   */
  hold(matches: (c: CallRecord) => boolean): { release: () => void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const entry = { matches, released };
    this.holds.push(entry);
    return {
      release: () => {
        const i = this.holds.indexOf(entry);
        if (i >= 0) this.holds.splice(i, 1);
        release();
      },
    };
  }

  /**
   * Resolves with the first call, from now on, that `matches` (every call by default): tests
   * wait on this event instead of sleeping.
   */
  nextCall(matches: (c: CallRecord) => boolean = () => true): Promise<CallRecord> {
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }

  private arrived(record: CallRecord): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (!w.matches(record)) continue;
      this.waiters.splice(i, 1);
      w.resolve(record);
    }
  }

  private async respond(
    req: IncomingMessage,
    res: ServerResponse,
    read: NonNullable<Awaited<ReturnType<typeof readBody>>>,
    call: ReturnType<typeof parseCall>,
    record: CallRecord,
  ): Promise<void> {
    const holds = this.holds.filter((h) => h.matches(record)).map((h) => h.released);
    if (holds.length > 0) await Promise.race([Promise.all(holds), this.closed$]);
    await this.sleep(this.latencyMs);
    const fault = this.closed ? undefined : this.faults.take(call.service, call.action);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'silence') return; // held until close() destroys the socket
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'latency') await this.sleep(fault.delayMs);
    if (this.closed) return void res.destroy();

    const injected = fault && faultError(call.service, fault);
    const answer = injected
      ? renderError(call.service, injected)
      : this.answer(req, read.body, read.tooLarge, call, record);
    record.status = answer.status;
    if (answer.errorCode) record.errorCode = answer.errorCode;
    this.trimHistory();
    send(res, answer, this.now());
  }

  private answer(
    req: IncomingMessage,
    body: Buffer,
    tooLarge: boolean,
    call: ReturnType<typeof parseCall>,
    record: CallRecord,
  ): WireResponse {
    const { service } = call;
    try {
      if (tooLarge)
        throw new AwsError(
          413,
          service === 'sts' ? 'RequestEntityTooLarge' : 'SerializationException',
          'Request body too large.',
        );
      const now = this.now();
      const request = { method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body };
      const caller = authenticate({
        service,
        request,
        headers: req.headers,
        now,
        store: this.store,
        maxClockSkewSeconds: this.opts.maxClockSkewSeconds,
      });
      record.callerArn = caller.arn;
      if (call.error) throw call.error;
      const base = { action: call.action, caller, region: call.region, now, store: this.store };
      if (service === 'sts') return renderOk(service, handleSts({ ...base, params: call.params }));
      const tokenLifetimeSeconds = this.opts.ecrTokenLifetimeSeconds ?? 43200;
      return renderOk(
        service,
        handleEcr({
          ...base,
          service,
          input: call.input,
          tokenLifetimeSeconds,
          secretLength: this.opts.ecrSecretLength ?? 1536,
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
}
