import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Recorded and exit 0: what they would do is never done. */
const INERT = [
  'git',
  'rm',
  'curl',
  'wget',
  'python3',
  'node',
  'perl',
  'ls',
  'touch',
  'mkdir',
  'chmod',
  'make',
  'npm',
] as const;
/** Recorded, then run for real because their output feeds what follows (`echo … | base64 -d | sh`). */
const REAL = ['echo', 'printf', 'cat', 'true', 'false', 'base64', 'tr', 'head'] as const;
/** Recorded, then run for real: they run a command, whose execution is recorded in turn. */
const RUNNERS = [
  'env',
  'timeout',
  'nice',
  'nohup',
  'setsid',
  'stdbuf',
  'flock',
  'xargs',
  'find',
  'time',
] as const;
/** Shells run through a recording shim too, so a shell started by a shell is seen; `sh` is dash, as on Debian. */
const SHELL_BINARIES: Readonly<Record<string, string>> = { bash: 'bash', sh: 'dash', dash: 'dash' };
/** Recorded and emulated by the shim: `sudo cmd` and `ssh host cmd` run cmd here; so do docker and kubectl exec. */
const EMULATED = ['sudo', 'ssh', 'docker', 'kubectl'] as const;

/** What a shim did after recording (see recording-shim.c). */
export type ExecutionKind = 'inert' | 'real' | 'runner';

/** One program the shell started, as its shim recorded it; `argv[0]` is the basename of the program. */
export interface Execution {
  readonly kind: ExecutionKind;
  readonly argv: readonly string[];
}

/** The path of a real program of this machine. */
export function findProgram(name: string): string {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`the shell differential test needs ${name} in /usr/bin or /bin`);
}

/**
 * Build the recording shim (recording-shim.c) in `root` and fill `bin` with it under every
 * command name the grammar uses, with the real programs it hands over to beside it.
 */
export function buildShimDirectory(root: string, bin: string): void {
  const source = new URL('./recording-shim.c', import.meta.url).pathname;
  const shim = join(root, 'recording-shim');
  const orphans = join(root, 'orphans.log');
  const args = ['-O2', '-std=c11', `-DORPHANS="${orphans}"`, '-o', shim, source];
  try {
    // Static: nothing for the dynamic loader to do, so each shim starts faster.
    execFileSync('cc', ['-static', ...args], { stdio: 'pipe' });
  } catch {
    try {
      execFileSync('cc', args, { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`the shell differential test needs a C compiler (cc) to build its shim: ${error}`);
    }
  }
  mkdirSync(join(bin, '.real'));
  mkdirSync(join(bin, '.runners'));
  const link = (name: string) => linkSync(shim, join(bin, name));
  for (const name of [...INERT, ...EMULATED]) link(name);
  for (const name of REAL) {
    link(name);
    symlinkSync(findProgram(name), join(bin, '.real', name));
  }
  for (const name of RUNNERS) {
    link(name);
    symlinkSync(findProgram(name), join(bin, '.real', name));
    writeFileSync(join(bin, '.runners', name), '');
  }
  for (const [name, real] of Object.entries(SHELL_BINARIES)) {
    link(name);
    symlinkSync(findProgram(real), join(bin, '.real', name));
    writeFileSync(join(bin, '.runners', name), '');
  }
}

/** Read a shim log: see the record format in recording-shim.c. */
export function parseRecords(bytes: Buffer): Execution[] {
  const words = bytes.toString('utf8').split('\0');
  const executions: Execution[] = [];
  let index = 0;
  while (index < words.length - 1) {
    const count = Number(words[index]);
    const kind = words[index + 1] as ExecutionKind;
    if (!Number.isInteger(count) || count < 1 || !['inert', 'real', 'runner'].includes(kind)) {
      throw new Error(
        `unreadable shim record at word ${index}: ${JSON.stringify(words.slice(index, index + 4))}`,
      );
    }
    executions.push({ kind, argv: words.slice(index + 2, index + 2 + count) });
    index += 2 + count;
  }
  return executions;
}
