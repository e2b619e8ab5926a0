import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildShimDirectory, type Execution, findProgram, parseRecords } from './shell-shims.test-support.js';

export type { Execution, ExecutionKind } from './shell-shims.test-support.js';

/** The real shells a command line is run in. */
export const SHELLS = ['bash', 'dash'] as const;
export type ShellName = (typeof SHELLS)[number];

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
  const drivers = new Set<ChildProcess>();
  /** Kill a driver with everything it started (its process group; with --kill-child, its PID namespace). */
  const killDriver = (child: ChildProcess) => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  try {
    buildShimDirectory(root, bin);
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
        drivers.add(child);
        const stall = () => killDriver(child);
        let timer = setTimeout(stall, timeoutMs);
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
          drivers.delete(child);
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
    dispose() {
      // A test that timed out leaves its drivers running: stop them before removing their files.
      for (const child of drivers) killDriver(child);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
