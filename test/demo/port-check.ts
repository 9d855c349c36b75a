import { createServer } from 'node:net';

/**
 * Whether `host:port` can be bound now: checked before anything is announced, so a second
 * demo (or emulator) on a taken port says so in one line instead of printing a banner that
 * another process would answer. Resolves false on EADDRINUSE; other errors reject.
 */
export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(false) : reject(e)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The one line a tool prints, on stderr, before it exits 1 because its port is taken. */
export function portTakenLine(tool: string, host: string, port: number, variable: string): string {
  return `${tool}: ${host}:${port} is taken (another demo, emulator or service is listening there): stop it, or choose another port with ${variable}=…\n`;
}

/** A port number from the environment, or the default; anything else stops the tool with one line. */
export function portFrom(value: string | undefined, fallback: number, variable: string): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`${variable} must be a port number (0-65535), not ${JSON.stringify(value)}\n`);
    process.exit(1);
  }
  return port;
}
