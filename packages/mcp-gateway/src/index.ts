// @gatehouse/mcp-gateway: put any MCP server's tools behind Gatehouse policy.

export { describeDuration, parseDuration } from './duration.js';
export {
  type GatedToolCallDeps,
  handleGatedToolCall,
  isActionSegment,
  toolAction,
} from './gated-tool-call.js';
export { MCP_PATH, type ServedHttp, serveStreamableHttp } from './http-serve.js';
export {
  createMcpGateway,
  DEFAULT_PROGRESS_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  type McpGateway,
  type McpGatewayOptions,
} from './mcp-gateway.js';
export { MCP_PROXY_EXIT, MCP_PROXY_HELP, type McpProxyIo, runMcpProxyCli } from './mcp-proxy-cli.js';
export { mcpProxyCommand } from './mcp-proxy-command.js';
export {
  connectUpstream,
  GATEWAY_VERSION,
  type Upstream,
  type UpstreamCommand,
  type UpstreamUrl,
} from './upstream-connection.js';
