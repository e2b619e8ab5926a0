import { GatehouseError } from '@gatehouse/core';

/** Exit codes, by table: documented in `gatehouse --help` and the README. */
export const EXIT = Object.freeze({
  ok: 0,
  /** The command ran and found problems, or was refused or denied (lint errors, a failing test, a 403/404/409). */
  problems: 1,
  /** The command line was wrong (unknown command or option, bad value, missing argument). */
  usage: 2,
  /** A file could not be read or written. */
  io: 3,
  /** The server (or the database, for host commands) could not be reached, or answered 5xx. */
  unreachable: 4,
  /** Authentication failed: bad or missing credentials (401, or 401/403/429 on login). */
  auth: 5,
  /** `exec`: the command was denied, expired, cancelled or refused, and did not run. */
  notRun: 126,
  /** Interrupted (SIGINT/SIGTERM) before the work was done. */
  interrupted: 130,
});

/** An error the CLI reports as one line and an exit code, never a stack trace. */
export class CliError extends GatehouseError {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.usage, data: Record<string, unknown> = {}) {
    super('cli-error', message, { data });
    this.exitCode = exitCode;
  }
}

/**
 * The exit code for an error the server's modules throw, by its stable `code` (the same
 * table the HTTP layer maps to statuses). Matching on codes, not classes, keeps the server
 * out of commands that never touch it.
 */
const EXIT_BY_ERROR_CODE: Readonly<Record<string, number>> = Object.freeze({
  'invalid-input': EXIT.usage,
  'config-invalid': EXIT.usage,
  unauthenticated: EXIT.auth,
  forbidden: EXIT.problems,
  'not-found': EXIT.problems,
  refused: EXIT.problems,
  'rate-limited': EXIT.problems,
  'storage-conflict': EXIT.problems,
  'storage-integrity': EXIT.problems,
  'policy-invalid': EXIT.problems,
  'storage-failed': EXIT.unreachable,
  'storage-migration-failed': EXIT.unreachable,
});

/** How the CLI reports an error: its exit code, or undefined when it is not one we expect. */
export function exitCodeFor(error: unknown): number | undefined {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof GatehouseError) return EXIT_BY_ERROR_CODE[error.code];
  return undefined;
}
