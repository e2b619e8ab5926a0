import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** How the command ended: the exit code `exec` passes on, and a line for the outcome record. */
export interface CommandResult {
  /** False when it could not even start (not found, not executable). */
  readonly started: boolean;
  readonly exitCode: number;
  readonly succeeded: boolean;
  readonly detail: string;
}

/**
 * Runs the approved argv exactly: no shell (nothing is parsed or expanded a second time),
 * the terminal passed through. A command killed by a signal exits 128+n, as a shell reports
 * it; one that cannot start exits 127 (not found) or 126 (not executable).
 */
export function runApprovedCommand(argv: readonly string[]): Promise<CommandResult> {
  const [file, ...rest] = argv;
  return new Promise((resolve) => {
    const child = spawn(file as string, rest, { stdio: 'inherit' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const exitCode = error.code === 'ENOENT' ? 127 : 126;
      resolve({
        started: false,
        exitCode,
        succeeded: false,
        detail: `could not start: ${error.code ?? error.message}`,
      });
    });
    child.once('exit', (code, signal) => {
      if (signal !== null) {
        const exitCode = 128 + (constants.signals[signal] ?? 0);
        resolve({ started: true, exitCode, succeeded: false, detail: `killed by ${signal}` });
        return;
      }
      const exitCode = code ?? 1;
      resolve({ started: true, exitCode, succeeded: exitCode === 0, detail: `exit code ${exitCode}` });
    });
  });
}
