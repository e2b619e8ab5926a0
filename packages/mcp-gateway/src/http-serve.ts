import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * A gateway served over Streamable HTTP.
 * @example const { url }: ServedHttp = await gateway.serveHttp(3001); // http://127.0.0.1:3001/mcp
 */
export interface ServedHttp {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The path of the MCP endpoint.
 * @example new URL(MCP_PATH, 'http://127.0.0.1:3001')
 */
export const MCP_PATH = '/mcp';

/** Loopback only: whoever reaches the gateway acts with the agent's Gatehouse token. */
const HOST = '127.0.0.1';

function answer(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Serves MCP over Streamable HTTP on 127.0.0.1 with sessions: an `initialize` without a
 * session starts one (a transport of its own, handed to `connect`), later requests name it in
 * `Mcp-Session-Id`. Host headers other than the loopback address are refused (DNS rebinding).
 *
 * @example const served = await serveStreamableHttp(0, (transport) => server.connect(transport));
 */
export async function serveStreamableHttp(
  port: number,
  connect: (transport: Transport) => Promise<void>,
): Promise<ServedHttp> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname !== MCP_PATH) return answer(res, 404, `the MCP endpoint is ${MCP_PATH}`);
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId);
      if (transport === undefined) return answer(res, 404, 'unknown session');
      return transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return answer(res, 400, 'start a session with an initialize request');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
      enableDnsRebindingProtection: true,
      allowedHosts,
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await connect(transport);
    await transport.handleRequest(req, res);
    // Anything but a valid initialize was refused by the transport: nothing to keep.
    if (transport.sessionId === undefined) await transport.close();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, 'the gateway failed');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  allowedHosts = [`${HOST}:${bound}`, `localhost:${bound}`];

  return {
    url: `http://${HOST}:${bound}${MCP_PATH}`,
    port: bound,
    async close() {
      await Promise.all([...sessions.values()].map((transport) => transport.close().catch(() => {})));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
