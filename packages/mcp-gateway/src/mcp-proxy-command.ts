import { MCP_PROXY_HELP, type McpProxyIo, runMcpProxyCli } from './mcp-proxy-cli.js';

/**
 * `gatehouse mcp-proxy`, shaped as the CLI's `CliCommand` (name, summary, help, run) so the
 * CLI registers it as it is. Its `io.out` is never written in stdio mode: stdout carries MCP.
 *
 * @example import { mcpProxyCommand } from '@gatehouse/mcp-gateway'; // in packages/cli/src/cli.ts
 */
export const mcpProxyCommand: {
  readonly name: 'mcp-proxy';
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[], io: McpProxyIo): Promise<number>;
} = Object.freeze({
  name: 'mcp-proxy' as const,
  summary: "Put an MCP server's tools behind Gatehouse (stdio or Streamable HTTP)",
  help: MCP_PROXY_HELP,
  run: (args: readonly string[], io: McpProxyIo) => runMcpProxyCli(args, io),
});
