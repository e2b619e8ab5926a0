import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from './cli-error.js';

/** A policy file's text and its version: the SHA-256 of its bytes. */
export interface PolicySource {
  readonly file: string;
  readonly text: string;
  readonly version: string;
}

/** Read a policy file, with a one-line error when it cannot be read. */
export async function readPolicyFile(file: string): Promise<PolicySource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new CliError(`${file}: cannot read the policy file (${why})`, EXIT.io);
  }
  return { file, text, version: `sha256:${createHash('sha256').update(text).digest('hex')}` };
}
