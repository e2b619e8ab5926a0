import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadServerConfig, type RunningGatehouse, startGatehouse } from '@gatehouse/server';
// The storage suite's engines helper: one convention for test schemas across the repository.
import { createTestDatabase } from '../../server/src/storage/storage-test-engines.test-support.js';
import { runCli } from './cli.js';
import type { CliIo } from './cli-command.js';

// Test support for the CLI suites (imported by *.test.ts only): run the CLI in process with
// captured streams, and start real Gatehouse servers on SQLite in temporary directories.

/** The admin's password in every test installation (GATEHOUSE_BOOTSTRAP_PASSWORD). */
export const ADMIN_PASSWORD = 'admin-password-for-tests';

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Captured streams that tests can also wait on, line by line, without sleeping. */
export interface CapturedIo extends CliIo {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first match in what was written so far or is written later. */
  waitFor(stream: 'out' | 'err', pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Options for one run: its environment, standard input and interrupt. */
export interface RunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stdin?: string;
  readonly signal?: AbortSignal;
}

/** Streams captured into strings. */
export function captureIo(options: RunOptions = {}): CapturedIo {
  const written = { out: '', err: '' };
  const waiters: { stream: 'out' | 'err'; pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] =
    [];
  const write = (stream: 'out' | 'err', text: string) => {
    written[stream] += text;
    for (const waiter of [...waiters]) {
      const match = waiter.stream === stream ? written[stream].match(waiter.pattern) : null;
      if (match !== null) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  return {
    out: (text) => write('out', text),
    err: (text) => write('err', text),
    env: options.env ?? {},
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    readStdin: async () => options.stdin ?? '',
    stdout: () => written.out,
    stderr: () => written.err,
    waitFor: (stream, pattern) =>
      new Promise((resolve) => {
        const match = written[stream].match(pattern);
        if (match !== null) resolve(match);
        else waiters.push({ stream, pattern, resolve });
      }),
  };
}

/** Runs `gatehouse <argv>` in process. */
export async function cli(argv: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const io = captureIo(options);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** The one JSON document a `--json` run printed. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}

const cleanups: (() => Promise<void>)[] = [];

/** A temporary directory, removed by `cleanUp()`. */
export async function tempDir(prefix = 'gatehouse-cli-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Stops every server and removes every directory the tests made (call in afterAll). */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** The environment host commands need to reach an installation in `dataDir` (and `databaseUrl`, if not SQLite there). */
export function hostEnv(dataDir: string, databaseUrl?: string): Record<string, string> {
  return {
    GATEHOUSE_DATA_DIR: dataDir,
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    GATEHOUSE_PORT: '0',
    GATEHOUSE_LOG_LEVEL: 'silent',
    GATEHOUSE_BOOTSTRAP_PASSWORD: ADMIN_PASSWORD,
    // Keeps every saved login inside the test's directory.
    XDG_CONFIG_HOME: path.join(dataDir, 'config'),
    GATEHOUSE_DEBUG: process.env.GATEHOUSE_TEST_DEBUG ?? '',
  };
}

/** A running server for a test, with the environment to reach it from both sides. */
export interface TestGatehouse {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** For host commands (same database). */
  readonly hostEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Where a test server keeps its data, and the policy it starts with. */
export interface TestGatehouseOptions {
  readonly policy?: string;
  /** An existing data directory (default: a new one, with a new SQLite database). */
  readonly dataDir?: string;
  readonly databaseUrl?: string;
}

/** Starts a real server on a free port (a fresh SQLite database unless told otherwise). */
export async function startTestGatehouse(options: TestGatehouseOptions = {}): Promise<TestGatehouse> {
  const dir = options.dataDir ?? (await tempDir());
  if (options.policy !== undefined) await writeFile(path.join(dir, 'policy.yaml'), options.policy);
  const env = hostEnv(dir, options.databaseUrl);
  const running: RunningGatehouse = await startGatehouse(loadServerConfig(env));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await running.close();
  };
  cleanups.push(close);
  return { url: running.url, port: running.port, dataDir: dir, hostEnv: env, close };
}

/**
 * A fresh, empty PostgreSQL schema's URL, named and dropped by the storage suite's own rules
 * (dropped with the run, never while other files may scan the catalogue).
 */
export async function postgresTestUrl(): Promise<string> {
  const database = await createTestDatabase('postgres');
  cleanups.push(() => database.drop());
  return database.url;
}

/** Issues a token through `gatehouse token create` on the host and returns its text. */
export async function issueToken(gatehouse: TestGatehouse, ...args: string[]): Promise<string> {
  const run = await cli(['token', 'create', ...args, '--json'], { env: gatehouse.hostEnv });
  if (run.code !== 0) throw new Error(`token create failed: ${run.stderr}`);
  return jsonOf<{ token: string }>(run).token;
}

/** The environment of an API command calling `gatehouse` with this token. */
export function apiEnv(gatehouse: TestGatehouse, token: string): Record<string, string> {
  return {
    GATEHOUSE_URL: gatehouse.url,
    GATEHOUSE_TOKEN: token,
    XDG_CONFIG_HOME: gatehouse.hostEnv.XDG_CONFIG_HOME ?? '',
  };
}

/** Calls the API directly (as a reviewer in another window would). */
export async function callApi<T = Record<string, unknown>>(
  gatehouse: Pick<TestGatehouse, 'url'>,
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gatehouse.url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}
