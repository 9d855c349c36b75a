/**
 * An in-process AWS emulator for STS (AssumeRole, GetCallerIdentity), ECR and ECR Public
 * (GetAuthorizationToken), spoken to by the real AWS SDK v3 over HTTP. See README.md.
 * It prints nothing: the credentials and tokens it hands out are secrets.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderError } from './aws-error';
import { answerCall, recordOf } from './call.answer';
import { CallControls } from './call.controls';
import { CONTROL_PREFIX, handleControl } from './control.routes';
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
import { listen, type Listening } from './emulator.server';
import { faultError } from './fault.queue';
import { readBody, send } from './http.io';
import { IdentityStore } from './identity.store';
import { parseCall, type ParsedCall } from './request.parse';

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
  private readonly store = new IdentityStore();
  private readonly log: CallRecord[] = [];
  private readonly clock: () => number;
  private clockOffsetMs = 0;
  private readonly controls: CallControls;
  private server!: Listening;
  /** Calls being answered now, and the most there ever were at once (resettable). */
  inFlight = 0;
  maxInFlight = 0;

  private constructor(private readonly opts: EmulatorOptions) {
    this.clock = opts.clock ?? Date.now;
    this.controls = new CallControls(opts.latencyMs);
  }

  /** Starts listening (default 127.0.0.1, a free port). */
  static async start(opts: EmulatorOptions = {}): Promise<AwsEmulator> {
    const emulator = new AwsEmulator(opts);
    emulator.server = await listen(opts, (req, res) => emulator.handle(req, res));
    return emulator;
  }

  /** `http://127.0.0.1:PORT`: the endpoint for every client. */
  get url(): string {
    return this.server.url;
  }

  get port(): number {
    return this.server.port;
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
    this.controls.faults.push(f);
  }

  clearFaults(): void {
    this.controls.faults.clear();
  }

  /** Faults still queued, with the number of calls each has left. */
  pendingFaults(): Array<Fault & { left: number }> {
    return this.controls.faults.pending();
  }

  /** Real delay added before every answer. */
  setLatency(ms: number): void {
    this.controls.latencyMs = ms;
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

  /**
   * Ends the issued sessions of a role now, before their recorded expiry (a revoked session, a
   * clock that jumped): STS answers `ExpiredToken`, ECR `ExpiredTokenException`. Returns how many.
   */
  endSessions(roleArn: string): number {
    return this.store.endSessions(roleArn, this.now());
  }

  /**
   * Forgets the issued sessions of a role, as if they had never been issued: STS answers
   * `InvalidClientTokenId`, ECR `UnrecognizedClientException`. Returns how many.
   */
  forgetSessions(roleArn: string): number {
    return this.store.forgetSessions(roleArn);
  }

  /** The temporary credentials AssumeRole handed out, oldest first. */
  issuedSessions(): IssuedSession[] {
    return this.store.issuedSessions();
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
    if (this.controls.closed) return;
    this.controls.close();
    await this.server.close();
  }

  private trimHistory(): void {
    const limit = this.opts.historyLimit;
    if (limit === undefined) return;
    if (this.log.length > limit) this.log.splice(0, this.log.length - limit);
    if (this.store.ecrTokens.length > limit) this.store.ecrTokens.splice(0, this.store.ecrTokens.length - limit);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req);
    if (!read || this.controls.closed) return void res.destroy();
    // Seeding and the call record from outside the process (control.routes.ts); not recorded.
    if (req.url?.startsWith(CONTROL_PREFIX)) return handleControl(this, req, res, read.body);
    const call = parseCall(req.url ?? '/', req.headers, read.body);
    const record = recordOf(call, this.now());
    this.log.push(record);
    this.controls.arrived(record);
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
    return this.controls.hold(matches);
  }

  /**
   * Resolves with the first call, from now on, that `matches` (every call by default): tests
   * wait on this event instead of sleeping.
   */
  nextCall(matches: (c: CallRecord) => boolean = () => true): Promise<CallRecord> {
    return this.controls.nextCall(matches);
  }

  private async respond(
    req: IncomingMessage,
    res: ServerResponse,
    read: { body: Buffer; tooLarge: boolean },
    call: ParsedCall,
    record: CallRecord,
  ): Promise<void> {
    const fault = await this.controls.before(record);
    if (fault?.kind === 'silence') return; // held until close() destroys the socket
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (this.controls.closed) return void res.destroy();

    const injected = fault && faultError(call.service, fault);
    const answer = injected
      ? renderError(call.service, injected)
      : answerCall({ req, ...read, call, record, now: this.now(), store: this.store, opts: this.opts });
    record.status = answer.status;
    if (answer.errorCode) record.errorCode = answer.errorCode;
    this.trimHistory();
    send(res, answer, this.now());
  }
}
