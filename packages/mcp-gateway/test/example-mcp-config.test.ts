import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuilt } from '../../sdk/test/example-runner.test-support.js';
import { startTestGatehouse, type TestGatehouse } from '../../sdk/test/gatehouse-harness.test-support.js';

// examples/mcp-client-config.json, started the way an MCP client starts it: the proxy's
// arguments exactly as written, spawned over stdio, against a real Gatehouse. Two parts are
// substituted: the checkout's `gatehouse mcp-proxy` by the built proxy entry point (the same
// runMcpProxyCli the CLI command calls), and the upstream's `npx -y … /home/you/projects` by
// the installed filesystem server rooted in a temporary directory (no network, a real path).

const FILESYSTEM_SERVER = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);
const PROXY_MAIN = path.join(REPO_ROOT, 'packages', 'mcp-gateway', 'dist', 'mcp-proxy-main.js');

interface McpClientConfig {
  readonly mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }>;
}

let server: TestGatehouse;
let root: string;
let config: McpClientConfig;

beforeAll(async () => {
  requireBuilt('sdk', 'mcp-gateway');
  server = await startTestGatehouse(`version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: read-only-projects
    match: { action: "mcp.fs.write_file" }
    deny: "Projects are read-only for agents"
`);
  root = await mkdtemp(path.join(tmpdir(), 'gatehouse-config-'));
  await writeFile(path.join(root, 'README.md'), '# project');
  config = JSON.parse(
    await readFile(path.join(REPO_ROOT, 'examples', 'mcp-client-config.json'), 'utf8'),
  ) as McpClientConfig;
});
afterAll(async () => {
  await server?.close();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe('examples/mcp-client-config.json', () => {
  it('starts gatehouse mcp-proxy over stdio with the Gatehouse URL and an agent token', () => {
    const entry = config.mcpServers.filesystem;
    // The checkout's own command by path: `npx gatehouse` from a client's working directory could
    // resolve to a registry package of that name, which we did not write.
    expect(entry?.command).toBe('node');
    expect(entry?.args[0]).toMatch(/\/packages\/cli\/bin\/gatehouse\.js$/);
    expect(entry?.args[1]).toBe('mcp-proxy');
    expect(entry?.args).toContain('--');
    expect(Object.keys(entry?.env ?? {}).sort()).toEqual(['GATEHOUSE_TOKEN', 'GATEHOUSE_URL']);
  });

  it('gates the filesystem tools as written: reads pass, writes are refused with the reason', async () => {
    const entry = config.mcpServers.filesystem as McpClientConfig['mcpServers'][string];
    const proxyArgs = entry.args.slice(2, entry.args.indexOf('--'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [PROXY_MAIN, ...proxyArgs, '--', process.execPath, FILESYSTEM_SERVER, root],
      env: { ...entry.env, GATEHOUSE_URL: server.url, GATEHOUSE_TOKEN: server.tokens.agent },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'claude-desktop-like', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('read_text_file');
      const read = (await client.callTool({
        name: 'read_text_file',
        arguments: { path: path.join(root, 'README.md') },
      })) as CallToolResult;
      expect(read.content[0]).toEqual({ type: 'text', text: '# project' });
      const write = (await client.callTool({
        name: 'write_file',
        arguments: { path: path.join(root, 'README.md'), content: 'overwritten' },
      })) as CallToolResult;
      expect(write.isError).toBe(true);
      expect(JSON.stringify(write.content)).toContain('Projects are read-only for agents');
      expect(await readFile(path.join(root, 'README.md'), 'utf8')).toBe('# project');
    } finally {
      await client.close();
    }
    const denied = await server.audit('request.denied');
    expect(
      denied.some(
        (row) => (row.data.reasons as { rule: string }[] | undefined)?.[0]?.rule === 'read-only-projects',
      ),
    ).toBe(true);
  }, 60_000);
});
