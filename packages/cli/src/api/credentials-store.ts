import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from '../cli-error.js';

/** What `gatehouse login` keeps: the server and a token for it. Never a password. */
export interface SavedLogin {
  readonly v: 1;
  readonly server: string;
  readonly token: string;
  /** Set when `login` created the token itself, so `logout` revokes it (a token someone handed us is theirs to revoke). */
  readonly createdByLogin: boolean;
  /** The token's public id (its prefix), for revoking it. */
  readonly tokenId?: string;
  readonly username?: string;
}

/** `$XDG_CONFIG_HOME/gatehouse/credentials.json`, else `~/.config/gatehouse/credentials.json`. */
export function credentialsPath(env: Readonly<Record<string, string | undefined>>): string {
  const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), '.config');
  return path.join(configHome, 'gatehouse', 'credentials.json');
}

function isSavedLogin(value: unknown): value is SavedLogin {
  const login = value as Partial<SavedLogin> | null;
  return (
    typeof login === 'object' &&
    login !== null &&
    login.v === 1 &&
    typeof login.server === 'string' &&
    typeof login.token === 'string' &&
    typeof login.createdByLogin === 'boolean'
  );
}

/** The saved login, or undefined when there is none. */
export async function readSavedLogin(file: string): Promise<SavedLogin | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new CliError(`${file}: cannot read the saved login (${code})`, EXIT.io);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isSavedLogin(value)) {
    throw new CliError(
      `${file}: not a saved login this version can read; run gatehouse login again`,
      EXIT.io,
    );
  }
  return value;
}

/**
 * Saves the login where only its owner can read it: the directory 0700, the file 0600, written
 * to a private temporary file first and renamed, so no reader ever sees it half written or with
 * wider permissions.
 */
export async function saveLogin(file: string, login: SavedLogin): Promise<void> {
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir leaves an existing directory's mode alone; a credentials directory must be private.
    await chmod(dir, 0o700);
    await writeFile(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw new CliError(`${file}: cannot save the login (${(error as NodeJS.ErrnoException).code})`, EXIT.io);
  }
}

/** Removes the saved login; false when there was none. */
export async function deleteSavedLogin(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new CliError(`${file}: cannot remove the saved login (${code})`, EXIT.io);
  }
}
