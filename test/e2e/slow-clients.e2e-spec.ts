import { connect, Socket } from 'node:net';
import { expectNoSecrets, Harness, startHarness } from './harness';

/** What Node's HTTP server refuses before any route runs: answered, logged and counted like the rest. */
describe('requests refused before routing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    expectNoSecrets(h.logs);
    await h.close();
  });

  /** Opens a raw connection, runs `talk`, and resolves with all the server wrote once it closes. */
  function raw(talk: (socket: Socket) => void): Promise<{ text: string }> {
    const { port } = new URL(h.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => talk(socket));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => resolve({ text }));
    });
  }

  const requestLines = () =>
    h.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request' && l.route === 'unparsed');

  // The client never finishes its headers: the connection ends only because the server cuts it.
  it('a header block dribbled a byte a second is cut with 408, logged as a request line', async () => {
    let dribble: NodeJS.Timeout | undefined;
    const { text } = await raw((socket) => {
      socket.write('POST /registry-auth HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      dribble = setInterval(() => socket.writable && socket.write('a'), 1000);
    });
    clearInterval(dribble);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code: string; statusCode: number };
    expect(body).toMatchObject({ statusCode: 408, code: 'REQUEST_TIMEOUT' });
    expect(requestLines()).toContainEqual(expect.objectContaining({ status: 408, code: 'REQUEST_TIMEOUT' }));
  });

  it('a malformed request line gets the contract 400 and a JSON request line', async () => {
    const { text } = await raw((socket) => socket.write('GARBAGE\x01 / HTTP/1.1\r\n\r\n'));
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"code":"INVALID_REQUEST"');
    expect(requestLines()).toContainEqual(expect.objectContaining({ status: 400, code: 'INVALID_REQUEST' }));
    const metrics = await h.get('/metrics');
    expect(metrics.text).toMatch(/route="unparsed"/);
  });
});
