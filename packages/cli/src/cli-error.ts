import { GatehouseError } from '@gatehouse/core';

/** Exit codes, by table: documented in `gatehouse --help` and the README. */
export const EXIT = Object.freeze({
  ok: 0,
  /** The command ran and found problems (lint errors, a failing policy test). */
  problems: 1,
  /** The command line was wrong. */
  usage: 2,
  /** A file could not be read. */
  io: 3,
});

/** An error the CLI reports as one line and an exit code, never a stack trace. */
export class CliError extends GatehouseError {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.usage) {
    super('cli-error', message);
    this.exitCode = exitCode;
  }
}
