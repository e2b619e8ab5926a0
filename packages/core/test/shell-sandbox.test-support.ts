import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real shells a command line is run in. */
export const SHELLS = ['bash', 'dash'] as const;
export type ShellName = (typeof SHELLS)[number];

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

/** A command line and the files it expects in its working directory. */
export interface SandboxJob {
  readonly line: string;
  readonly files: Readonly<Record<string, string>>;
}

/** What one shell did with one command line. */
export interface ShellRun {
  readonly shell: ShellName;
  readonly executions: readonly Execution[];
  /** The run was killed after `timeoutMs` without finishing. */
  readonly timedOut: boolean;
  /** The first bytes of what the shell wrote to stderr, for failure reports. */
  readonly stderr: string;
}

/** Options of a sandbox. */
export interface SandboxOptions {
  /** How many drivers run at once (default 2). */
  readonly workers?: number;
  /** How long one command line may run before its driver is killed (default 2,000 ms). */
  readonly timeoutMs?: number;
  /** Run each line by `eval` in a subshell of a long-lived shell (default), or by a fresh `<shell> -c`. */
  readonly mode?: 'eval' | 'exec';
}

/** A throwaway directory where command lines run in real shells with every external command shimmed. */
export interface ShellSandbox {
  /** Whether runs are isolated by `unshare` (no network, own PID namespace), and if not, why. */
  readonly isolation: string;
  /** How each line is run: `eval` in a subshell, or `exec` of a fresh shell. */
  readonly mode: 'eval' | 'exec';
  /** Run every job in every shell. Results are in job order, then `SHELLS` order. */
  run(jobs: readonly SandboxJob[]): Promise<ShellRun[][]>;
  /** Executions recorded without a run's log: a shim was reached with a scrubbed environment. */
  orphans(): Execution[];
  /** Remove the directory. */
  dispose(): void;
}

const STDERR_LIMIT = 400;
const DEFAULT_FILES: Readonly<Record<string, string>> = { 'a.txt': 'a\n', 'sub/b.txt': 'b\n' };

/**
 * Reads run directories from stdin and runs each job's script in a subshell of this shell,
 * in the job's directory, with an environment of only PATH (the shims), HOME and the log
 * path; then prints the directory so the parent knows it finished. The subshell either
 * evals the script (mode `eval`: no new shell process, so a quarter cheaper here) or
 * execs `<shell> -c script` (mode `exec`). Both shells parse an eval'd string as they
 * parse a -c string, a line at a time; what differs is only what the grammar never uses:
 * in an eval'd script $1 is the script itself and $0, $$ are the driver's.
 */
const DRIVER = `
gh_bin=$1 gh_shell=$2 gh_mode=$3 gh_path=$4
while IFS= read -r gh_run; do
  gh_script= gh_line=
  while IFS= read -r gh_line || [ -n "$gh_line" ]; do
    gh_script="$gh_script$gh_line
"
  done < "$gh_run/script"
  (
    cd "$gh_run/home" || exit 1
    export PATH="$gh_bin" HOME="$gh_run/home" GATEHOUSE_SHIM_LOG="$gh_run/log.$gh_shell"
    set -- "$gh_script" "$gh_mode" "$gh_path"
    unset gh_run gh_script gh_line gh_bin gh_shell gh_mode gh_path OLDPWD
    if [ "$2" = exec ]; then exec "$3" -c "$1"; fi
    eval "$1"
  ) < /dev/null > /dev/null 2> "$gh_run/err.$gh_shell"
  printf '%s\\n' "$gh_run"
done
`;

function findProgram(name: string): string {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`the shell differential test needs ${name} in /usr/bin or /bin`);
}

function buildShim(root: string, bin: string): void {
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

/** `unshare` with a user, network and PID namespace, if this machine allows it. */
function isolationPrefix(): { prefix: string[]; isolation: string } {
  const prefix = ['unshare', '--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', '--'];
  try {
    execFileSync(prefix[0] as string, [...prefix.slice(1), '/bin/true'], { stdio: 'pipe', timeout: 10_000 });
    return { prefix, isolation: 'unshare --user --map-root-user --net --pid --fork --kill-child' };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { prefix: [], isolation: `none: unshare failed (${reason})` };
  }
}

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

function readIfExists(path: string): Buffer {
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

/** Create a sandbox under the system's temporary directory. */
export function createShellSandbox(options: SandboxOptions = {}): ShellSandbox {
  const workers = options.workers ?? 2;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const mode = options.mode ?? 'eval';
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-shell-diff-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const driver = join(root, 'driver.sh');
  writeFileSync(driver, DRIVER);
  let runCount = 0;
  try {
    buildShim(root, bin);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const { prefix, isolation } = isolationPrefix();

  /** Run `dirs` in one shell, in one driver at a time; a driver that stalls is killed and restarted after the stalled run. */
  async function drive(shell: ShellName, dirs: readonly string[], timedOut: Set<string>): Promise<void> {
    let next = 0;
    while (next < dirs.length) {
      const batch = dirs.slice(next);
      const done = await new Promise<number>((resolve, reject) => {
        const path = findProgram(shell);
        const argv = [...prefix, path, driver, bin, shell, mode, path];
        const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), {
          env: {},
          stdio: ['pipe', 'pipe', 'inherit'],
          detached: true,
        });
        let finished = 0;
        let pending = '';
        let timer = setTimeout(stall, timeoutMs);
        function stall(): void {
          // Kill the whole process group (and with --kill-child, the PID namespace).
          try {
            process.kill(-(child.pid as number), 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }
        child.stdout?.setEncoding('utf8');
        child.stdout?.on('data', (chunk: string) => {
          pending += chunk;
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          finished += lines.length;
          clearTimeout(timer);
          timer = setTimeout(stall, timeoutMs);
        });
        child.on('error', reject);
        child.on('close', () => {
          clearTimeout(timer);
          resolve(finished);
        });
        child.stdin?.on('error', () => {});
        child.stdin?.end(`${batch.join('\n')}\n`);
      });
      next += done;
      if (next < dirs.length) {
        timedOut.add(`${dirs[next]}\0${shell}`);
        next++;
      }
    }
  }

  return {
    isolation,
    mode,
    async run(jobs) {
      const dirs = jobs.map((job) => {
        const dir = join(root, 'runs', String(runCount++));
        for (const [name, content] of Object.entries({ ...DEFAULT_FILES, ...job.files })) {
          const path = join(dir, 'home', name);
          mkdirSync(join(path, '..'), { recursive: true });
          writeFileSync(path, content);
        }
        writeFileSync(join(dir, 'script'), job.line);
        return dir;
      });
      const timedOut = new Set<string>();
      // Split the runs into `workers` contiguous slices per shell, and run all slices at once.
      const slices: Promise<void>[] = [];
      const perShell = Math.max(1, Math.floor(workers / SHELLS.length));
      for (const shell of SHELLS) {
        const size = Math.ceil(dirs.length / perShell);
        for (let start = 0; start < dirs.length; start += size) {
          slices.push(drive(shell, dirs.slice(start, start + size), timedOut));
        }
      }
      await Promise.all(slices);
      const results = dirs.map((dir) =>
        SHELLS.map(
          (shell): ShellRun => ({
            shell,
            executions: parseRecords(readIfExists(join(dir, `log.${shell}`))),
            timedOut: timedOut.has(`${dir}\0${shell}`),
            stderr: readIfExists(join(dir, `err.${shell}`))
              .toString('utf8')
              .slice(0, STDERR_LIMIT),
          }),
        ),
      );
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      return results;
    },
    orphans: () => parseRecords(readIfExists(join(root, 'orphans.log'))),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
