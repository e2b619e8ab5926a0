import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * An upstream MCP server the gateway starts as a child process and talks to over stdio.
 * @example const upstream: UpstreamCommand = { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'] };
 */
export interface UpstreamCommand {
  readonly command: string;
  readonly args?: readonly string[];
  /**
   * Its environment, on top of a few safe variables (HOME, PATH, …). The gateway's own
   * environment, and so the Gatehouse token, is not passed on unless you put it here.
   */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/**
 * An upstream MCP server reached over Streamable HTTP.
 * @example const upstream: UpstreamUrl = { url: 'http://127.0.0.1:9000/mcp' };
 */
export interface UpstreamUrl {
  readonly url: string;
}

/**
 * Where the gated tools come from.
 * @example const upstream: Upstream = process.env.UPSTREAM_URL ? { url: process.env.UPSTREAM_URL } : { command: 'my-mcp-server' };
 */
export type Upstream = UpstreamCommand | UpstreamUrl;

/**
 * The gateway's version, as it introduces itself to both sides.
 * @example client.getServerVersion()?.version === GATEWAY_VERSION
 */
export const GATEWAY_VERSION = '0.1.0';

function transportFor(upstream: Upstream): Transport {
  if ('url' in upstream) return new StreamableHTTPClientTransport(new URL(upstream.url));
  return new StdioClientTransport({
    command: upstream.command,
    args: [...(upstream.args ?? [])],
    ...(upstream.env === undefined ? {} : { env: { ...upstream.env } }),
    ...(upstream.cwd === undefined ? {} : { cwd: upstream.cwd }),
    // Its diagnostics join ours on stderr; stdout is its protocol channel.
    stderr: 'inherit',
  });
}

/**
 * Starts (or reaches) the upstream server and connects to it as an MCP client.
 * @example const upstream = await connectUpstream({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'] }, 'fs');
 */
export async function connectUpstream(upstream: Upstream, name: string): Promise<Client> {
  const client = new Client({ name: `gatehouse-mcp-gateway:${name}`, version: GATEWAY_VERSION });
  await client.connect(transportFor(upstream));
  return client;
}
