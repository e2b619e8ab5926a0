/** Where a command writes: the process's streams, or buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** One `gatehouse` subcommand. */
export interface CliCommand {
  /** The words that select it, e.g. `policy lint`. */
  readonly name: string;
  readonly summary: string;
  /** The usage lines and options, shown by `gatehouse <name> --help`. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}
