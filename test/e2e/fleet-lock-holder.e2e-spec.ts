import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { AwsEmulator, type CallRecord } from '../emulator/aws-emulator';
import { seedWorld, serviceProcessEnv, WORLD } from '../fixtures/aws-world';
import { until } from '../fixtures/wait';
import { bodyOf, counted, fleetWorld } from './fleet-world';
import { Harness, startHarness } from './harness';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** The built service as the lock holder, killed mid-mint: the lock it held frees the key. */
describe('a fleet: the lock holder dies', () => {
  const world = fleetWorld();
  let emu: AwsEmulator;
  let child: ChildProcessWithoutNullStreams | undefined;
  let other: Harness;

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    other = await startHarness({ emulator: emu, env: world.env });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    emu.clearFaults();
    await other.close();
    await world.cleanup();
    await emu.close();
  });

  function startHolder(): Promise<number> {
    let out = '';
    // A 3 s deadline: its lock's lease is 1 s.
    const env = { ...serviceProcessEnv(emu.url), ...world.env, PORT: '0', ECR_AUTH_REQUEST_DEADLINE_MS: '3000' };
    const c = spawn(process.execPath, [MAIN], { env });
    child = c;
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<number>((resolve, reject) => {
      c.once('exit', () => reject(new Error(`exited before listening: ${out}`)));
      c.stdout.on('data', () => {
        const m = /listening on [\d.]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
  }

  it("SIGKILL of the replica minting a key: the other replica's request for it answers 200 within its deadline", async () => {
    const [c] = world.addCustomers(emu, 1, 3);
    emu.clearCalls();
    const port = await startHolder();
    // Its start-up check of the jump role first (the jump session is then held).
    await until(async () => emu.calls.some((call) => call.params.RoleArn === WORLD.jump.arn && call.status === 200));
    // The holder's customer AssumeRole is held until it is dead.
    const isCustomer = (call: CallRecord) => call.params.RoleArn === c.arn;
    const hold = emu.hold(isCustomer);
    const held = emu.nextCall(isCustomer);
    const holding = fetch(`http://127.0.0.1:${port}/registry-auth`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(bodyOf(c)),
    }).catch(() => undefined);
    await held;

    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
    const waiting = other.post('/registry-auth', bodyOf(c));
    hold.release(); // the holder's call is answered to nobody; the other replica's is answered
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.json.username).toBe('AWS');
    expect(await counted(other, 'mintLock', 'freed')).toBe(1);
    await holding;
  });
});
