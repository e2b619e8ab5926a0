/**
 * Where a command reads and writes: the process's streams, environment and signals in
 * `main.ts`, buffers and a test's own environment in tests. Everything but `out` and `err`
 * is optional and falls back to the process's.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The environment (`GATEHOUSE_URL`, `XDG_CONFIG_HOME`, …); defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** All of standard input, for `--password-stdin` and `--token-stdin`; defaults to the process's. */
  readStdin?(): Promise<string>;
  /** Aborted on SIGINT/SIGTERM: long-running commands (`serve`, `watch`, `exec`) stop cleanly. */
  readonly signal?: AbortSignal;
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

/** The environment a command sees. */
export function envOf(io: CliIo): Readonly<Record<string, string | undefined>> {
  return io.env ?? process.env;
}

/** The signal that ends a long-running command; never aborted when the caller gave none. */
export function signalOf(io: CliIo): AbortSignal {
  return io.signal ?? new AbortController().signal;
}

/** Resolves when the signal aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Everything on standard input, with one trailing newline removed (what `echo secret |` adds). */
export async function readStdinOf(io: CliIo): Promise<string> {
  const text = io.readStdin === undefined ? await readProcessStdin() : await io.readStdin();
  return text.replace(/\r?\n$/, '');
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
