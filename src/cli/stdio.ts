/**
 * Standard input and output for the command-line entries (docker credential helper, kubelet
 * credential provider): synchronous first, because setting up the stream machinery costs
 * start-up time at every `docker pull` and every kubelet exec; the streams are the fallback.
 */
import { readSync, writeSync } from 'node:fs';

/** What was read, at most `maxBytes`; `overflow` when stdin held more. */
export interface StdinText {
  readonly text: string;
  readonly overflow: boolean;
}

/**
 * Reads stdin to its end, keeping at most `maxBytes` (memory stays bounded whatever is piped
 * in). A closed or absent stdin is empty text.
 */
export function readStdin(maxBytes: number): Promise<StdinText> {
  const buffer = Buffer.alloc(maxBytes + 1);
  let size = 0;
  try {
    for (;;) {
      const n = readSync(0, buffer, size, buffer.length - size, null);
      if (n === 0) return Promise.resolve(textOf(buffer, size, maxBytes));
      size += n;
      if (size > maxBytes) return Promise.resolve(textOf(buffer, size, maxBytes));
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EOF') return Promise.resolve(textOf(buffer, size, maxBytes));
    if ((code === 'EBADF' || code === 'EINVAL') && size === 0) return Promise.resolve({ text: '', overflow: false });
    if (code !== 'EAGAIN') throw e;
  }
  // A non-blocking stdin (some pipes, a TTY): what was read so far, then the stream.
  const chunks: Buffer[] = [buffer.subarray(0, size)];
  return new Promise((resolve, reject) => {
    process.stdin.on('data', (chunk: Buffer) => {
      if (size <= maxBytes) chunks.push(chunk);
      size += chunk.length;
    });
    process.stdin.on('end', () => {
      const all = Buffer.concat(chunks);
      resolve(textOf(all, size, maxBytes));
    });
    process.stdin.on('error', reject);
  });
}

function textOf(buffer: Buffer, size: number, maxBytes: number): StdinText {
  return { text: buffer.subarray(0, Math.min(size, maxBytes)).toString('utf8'), overflow: size > maxBytes };
}

/** Writes the whole text to fd 1 (stdout) or 2 (stderr) directly; the stream is the fallback. */
export function writeFd(fd: 1 | 2, text: string): void {
  if (text === '') return;
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  } catch {
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(offset));
  }
}
