import { createGatehouse, type Gatehouse, type JsonObject } from '@gatehouse/sdk';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { handleGatedToolCall, isActionSegment } from './gated-tool-call.js';
import { type ServedHttp, serveStreamableHttp } from './http-serve.js';
import { connectUpstream, GATEWAY_VERSION, type Upstream } from './upstream-connection.js';

/**
 * How to build a gateway.
 * @example createMcpGateway({ name: 'gh', upstream: { url: 'http://127.0.0.1:9000/mcp' }, gatehouse: { url, token }, timeoutMs: 300_000 });
 */
export interface McpGatewayOptions {
  /** The upstream server's name in actions: `mcp.<name>.<tool>` (letters, digits, `_`, `-`). */
  readonly name: string;
  /** The MCP server whose tools are gated: a command to start, or a Streamable HTTP URL. */
  readonly upstream: Upstream;
  /** The Gatehouse to ask, and the agent token to ask with (or a client already made). */
  readonly gatehouse: { readonly url: string; readonly token: string } | Gatehouse;
  /** How long a call may wait for people before it returns a time-out error (default 10 min). */
  readonly timeoutMs?: number;
  /** How often a waiting call sends a progress notification (default 15 s). */
  readonly progressIntervalMs?: number;
  /** Context sent with every action, e.g. `{ environment: 'prod' }`. */
  readonly context?: JsonObject;
}

/**
 * A running gateway: connected upstream, serving clients over stdio, HTTP or any transport.
 * @example const gateway: McpGateway = await createMcpGateway(options); await gateway.serveHttp(3001);
 */
export interface McpGateway {
  /** The upstream client (its tools are what the gateway lists). */
  readonly upstream: Client;
  /** Serves one client over this process's stdin and stdout; resolves when the connection closes. */
  serveStdio(): Promise<void>;
  /** Serves clients over Streamable HTTP at `http://127.0.0.1:<port>/mcp` (0 picks a free port). */
  serveHttp(port: number): Promise<ServedHttp>;
  /** Serves one client over any MCP transport (an in-memory pair in tests); resolves once connected. */
  connect(transport: Transport): Promise<void>;
  /** Stops serving and stops the upstream server. */
  close(): Promise<void>;
}

/**
 * The default wait for people: long enough for a human, short enough for a tool call.
 * @example createMcpGateway({ ...options, timeoutMs: 2 * DEFAULT_TIMEOUT_MS });
 */
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/**
 * The default interval between "still waiting" progress notifications.
 * @example createMcpGateway({ ...options, progressIntervalMs: DEFAULT_PROGRESS_INTERVAL_MS / 3 });
 */
export const DEFAULT_PROGRESS_INTERVAL_MS = 15_000;

function isGatehouse(value: McpGatewayOptions['gatehouse']): value is Gatehouse {
  return typeof (value as Gatehouse).guard === 'function';
}

/**
 * An MCP gateway that puts an MCP server's tools behind Gatehouse policy. It connects to the
 * upstream server as a client and serves its tools unchanged (tools/list passes through);
 * each tools/call becomes the action `mcp.<name>.<tool>` with the call's arguments as params.
 * Only tools are served: resources and prompts would reach the upstream without a gate.
 *
 * @example
 * const gateway = await createMcpGateway({
 *   name: 'fs',
 *   upstream: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv/data'] },
 *   gatehouse: { url: 'http://127.0.0.1:8080', token: process.env.GATEHOUSE_TOKEN! },
 * });
 * await gateway.serveStdio();
 */
export async function createMcpGateway(options: McpGatewayOptions): Promise<McpGateway> {
  if (!isActionSegment(options.name)) {
    throw new TypeError(
      `name "${options.name}" must be lowercase letters, digits, "_" or "-": it becomes mcp.<name>.<tool>`,
    );
  }
  const gate = isGatehouse(options.gatehouse) ? options.gatehouse : createGatehouse(options.gatehouse);
  const upstream = await connectUpstream(options.upstream, options.name);
  const servers = new Set<Server>();
  const served: ServedHttp[] = [];
  let toolNames: Promise<readonly string[]> | undefined;
  const listToolNames = async (): Promise<readonly string[]> => {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await upstream.listTools(cursor === undefined ? {} : { cursor });
      names.push(...page.tools.map((tool) => tool.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return names;
  };
  const deps = {
    toolNames: () => {
      toolNames ??= listToolNames().catch((error: unknown) => {
        toolNames = undefined;
        throw error;
      });
      return toolNames;
    },
    name: options.name,
    upstream,
    gate,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    ...(options.context === undefined ? {} : { context: options.context }),
  };

  upstream.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    toolNames = undefined;
    await Promise.all([...servers].map((server) => server.sendToolListChanged().catch(() => {})));
  });

  /** One MCP server per client connection (a server serves one transport). */
  function createServer(): Server {
    const instructions = upstream.getInstructions();
    const server = new Server(
      { name: `gatehouse:${options.name}`, version: GATEWAY_VERSION },
      {
        capabilities: { tools: { listChanged: true } },
        ...(instructions === undefined ? {} : { instructions }),
      },
    );
    server.setRequestHandler(ListToolsRequestSchema, (request, extra) =>
      upstream.listTools(request.params, { signal: extra.signal }),
    );
    server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      handleGatedToolCall(deps, request.params, extra),
    );
    servers.add(server);
    server.onclose = () => servers.delete(server);
    return server;
  }

  const connect = async (transport: Transport) => {
    await createServer().connect(transport);
  };

  return {
    upstream,
    connect,
    async serveStdio() {
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
      });
      // The transport does not notice the end of stdin: the client hanging up ends the session.
      process.stdin.once('end', () => void transport.close());
      await connect(transport);
      await closed;
    },
    async serveHttp(port) {
      const http = await serveStreamableHttp(port, connect);
      served.push(http);
      return http;
    },
    async close() {
      await Promise.all(served.map((http) => http.close()));
      await Promise.all([...servers].map((server) => server.close().catch(() => {})));
      await upstream.close();
    },
  };
}
