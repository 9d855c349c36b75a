/** The local machine as the command-line entries see it: text files and the user's home. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';

/** Reads a UTF-8 file; `undefined` when it does not exist, throws (with `code`) otherwise. */
export async function readTextFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** `$HOME`, else the account's home directory; `undefined` when there is none. */
export function userHome(): string | undefined {
  if (process.env.HOME) return process.env.HOME;
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}
