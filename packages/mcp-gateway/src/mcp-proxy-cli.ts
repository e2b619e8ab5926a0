import { parseArgs } from 'node:util';
import { describeDuration, parseDuration } from './duration.js';
import { isActionSegment } from './gated-tool-call.js';
import {
  createMcpGateway,
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  type McpGateway,
} from './mcp-gateway.js';
import type { Upstream } from './upstream-connection.js';

/**
 * Where the proxy reports, what environment it reads, and what stops it.
 * @example await runMcpProxyCli(argv, { err: (t) => process.stderr.write(t), env: process.env, signal } satisfies McpProxyIo);
 */
export interface McpProxyIo {
  /** Standard output. Never written in stdio mode, where it carries the protocol. */
  out?(text: string): void;
  /** Diagnostics (standard error). */
  err(text: string): void;
  /** GATEHOUSE_URL and GATEHOUSE_TOKEN, and the upstream's environment; defaults to the process's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Aborting stops the proxy (SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
}

/**
 * Exit codes, as the `gatehouse` CLI numbers them.
 * @example if ((await runMcpProxyCli(argv)) === MCP_PROXY_EXIT.usage) printHelp();
 */
export const MCP_PROXY_EXIT = Object.freeze({ ok: 0, usage: 2, unreachable: 4 });

/**
 * The usage text of `gatehouse mcp-proxy`.
 * @example process.stderr.write(`${MCP_PROXY_HELP}\n`);
 */
export const MCP_PROXY_HELP = `Usage: gatehouse mcp-proxy --name <server> [--http <port>] [--timeout 10m] [options] -- <command> [args…]
       gatehouse mcp-proxy --name <server> --upstream-url <url> [options]

Puts an MCP server's tools behind Gatehouse. Starts <command> (an MCP server over
stdio) or connects to --upstream-url, lists its tools unchanged, and turns every
tools/call into the action mcp.<server>.<tool> with the call's arguments as params
(tool names in canonical form: readFile becomes read_file; two tools that would share
an action are refused):
allowed calls run (after their grant is consumed), denied ones return a tool error
with the reason, and pending ones wait for a reviewer, sending progress
notifications, until --timeout.

Serves MCP over stdio (for Claude Desktop-style clients), or with --http over
Streamable HTTP at http://127.0.0.1:<port>/mcp.

Options:
  --name <server>             the <server> in mcp.<server>.<tool> (lowercase letters, digits, _ and -)
  --http <port>               serve Streamable HTTP on 127.0.0.1:<port> (0 picks one) instead of stdio
  --timeout <duration>        how long a call waits for people (default ${describeDuration(DEFAULT_TIMEOUT_MS)})
  --progress-interval <d>     how often a waiting call reports progress (default ${describeDuration(DEFAULT_PROGRESS_INTERVAL_MS)})
  --environment <name>        sent as context.environment with every action
  --upstream-url <url>        an upstream MCP server over Streamable HTTP, instead of a command
  --server <url>              the Gatehouse server (default $GATEHOUSE_URL)

Credentials: $GATEHOUSE_TOKEN, an agent token (gatehouse token create --agent <name>).
The upstream command gets this environment without GATEHOUSE_TOKEN.

Exit codes: 0 the client hung up or the proxy was stopped, 2 bad usage, 4 the upstream
server could not be started or reached.`;

class UsageError extends Error {}

interface ProxyPlan {
  readonly name: string;
  readonly upstream: Upstream;
  readonly gatehouse: { readonly url: string; readonly token: string };
  readonly http?: number;
  readonly timeoutMs: number;
  readonly progressIntervalMs: number;
  readonly environment?: string;
}

function durationOption(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`${flag}: expected a duration such as 30s, 10m or 1h, got "${text}"`);
  return ms;
}

/** Reads the command line and environment into what to run; throws UsageError when they do not say. */
function planOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ProxyPlan {
  const split = argv.indexOf('--');
  const ours = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? [] : argv.slice(split + 1);
  const { values, positionals } = parseArgs({
    args: [...ours],
    options: {
      name: { type: 'string' },
      http: { type: 'string' },
      timeout: { type: 'string' },
      'progress-interval': { type: 'string' },
      environment: { type: 'string' },
      'upstream-url': { type: 'string' },
      server: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`unexpected "${positionals[0]}": put the upstream command after --`);
  if (values.name === undefined || !isActionSegment(values.name)) {
    throw new UsageError('--name <server> is required: lowercase letters, digits, "_" or "-"');
  }
  const upstreamUrl = values['upstream-url'];
  const [program, ...args] = command;
  if ((program === undefined) === (upstreamUrl === undefined)) {
    throw new UsageError(
      'give the upstream server as -- <command> [args…] or as --upstream-url <url>, not both',
    );
  }
  const url = values.server ?? env.GATEHOUSE_URL;
  const token = env.GATEHOUSE_TOKEN;
  if (!url) throw new UsageError('no Gatehouse server: pass --server <url> or set GATEHOUSE_URL');
  if (!token) throw new UsageError('no token: set GATEHOUSE_TOKEN to an agent token');
  let http: number | undefined;
  if (values.http !== undefined) {
    http = Number(values.http);
    if (!Number.isInteger(http) || http < 0 || http > 65_535)
      throw new UsageError(`--http: expected a port, got "${values.http}"`);
  }
  // The upstream is the thing being gated: it never gets the credential that asks for approval.
  const upstreamEnv = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[0] !== 'GATEHOUSE_TOKEN' && entry[1] !== undefined,
    ),
  );
  return {
    name: values.name,
    upstream:
      program === undefined ? { url: upstreamUrl as string } : { command: program, args, env: upstreamEnv },
    gatehouse: { url, token },
    ...(http === undefined ? {} : { http }),
    timeoutMs: durationOption('--timeout', values.timeout, DEFAULT_TIMEOUT_MS),
    progressIntervalMs: durationOption(
      '--progress-interval',
      values['progress-interval'],
      DEFAULT_PROGRESS_INTERVAL_MS,
    ),
    ...(values.environment === undefined ? {} : { environment: values.environment }),
  };
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * The `gatehouse mcp-proxy` command: parses `argv` (the words after `mcp-proxy`), starts the
 * gateway and serves until the client hangs up or `io.signal` aborts. Returns the exit code.
 *
 * @example process.exitCode = await runMcpProxyCli(['--name', 'fs', '--', 'npx', '-y', '@modelcontextprotocol/server-filesystem', '/srv']);
 */
export async function runMcpProxyCli(
  argv: readonly string[],
  io: McpProxyIo = { err: (text) => process.stderr.write(text) },
): Promise<number> {
  if (argv.includes('--help') && (argv.indexOf('--') === -1 || argv.indexOf('--help') < argv.indexOf('--'))) {
    io.err(`${MCP_PROXY_HELP}\n`);
    return MCP_PROXY_EXIT.ok;
  }
  let plan: ProxyPlan;
  try {
    plan = planOf(argv, io.env ?? process.env);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    io.err(`gatehouse mcp-proxy: ${(error as Error).message} (see --help)\n`);
    return MCP_PROXY_EXIT.usage;
  }
  let gateway: McpGateway;
  try {
    gateway = await createMcpGateway({
      name: plan.name,
      upstream: plan.upstream,
      gatehouse: plan.gatehouse,
      timeoutMs: plan.timeoutMs,
      progressIntervalMs: plan.progressIntervalMs,
      ...(plan.environment === undefined ? {} : { context: { environment: plan.environment } }),
    });
  } catch (error) {
    io.err(
      `gatehouse mcp-proxy: the upstream MCP server could not be started or reached (${(error as Error).message})\n`,
    );
    return MCP_PROXY_EXIT.unreachable;
  }
  try {
    if (plan.http === undefined) {
      io.err(`gatehouse mcp-proxy: gating ${plan.name} over stdio\n`);
      await Promise.race([gateway.serveStdio(), untilAborted(io.signal)]);
    } else {
      const served = await gateway.serveHttp(plan.http);
      (io.out ?? io.err)(`${served.url}\n`);
      io.err(`gatehouse mcp-proxy: gating ${plan.name} at ${served.url}\n`);
      await untilAborted(io.signal);
    }
    return MCP_PROXY_EXIT.ok;
  } finally {
    await gateway.close();
  }
}
