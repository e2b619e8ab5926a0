import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../../sdk/test/gatehouse-harness.test-support.js';
import { createMcpGateway, type McpGateway, toolAction } from '../src/index.js';

// MCP tool names become canonical action names (ADR 0006): mixedCase and other spellings map to
// one lowercase form, and two tools of one server that would share an action are refused,
// since policy could not tell them apart. The upstream is a real MCP server built with the
// official SDK, spawned over stdio.

describe('toolAction', () => {
  it('spells mixedCase, acronyms and compatibility forms canonically', () => {
    expect(toolAction('fs', 'writeFile')).toBe('mcp.fs.write_file');
    expect(toolAction('fs', 'WriteFile')).toBe('mcp.fs.write_file');
    expect(toolAction('gh', 'createPullRequest')).toBe('mcp.gh.create_pull_request');
    expect(toolAction('gh', 'HTTPRequest')).toBe('mcp.gh.http_request');
    expect(toolAction('gh', 'getURL2')).toBe('mcp.gh.get_url2');
    expect(toolAction('x', '\uFF57\uFF52\uFF49\uFF54\uFF45')).toBe('mcp.x.write');
    expect(toolAction('x', 'DELETE')).toBe('mcp.x.delete');
  });

  it('always gives a canonical action name, for any tool name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), (tool) => {
        const action = toolAction('srv', tool);
        expect(action).toMatch(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/);
      }),
    );
  });
});

const POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: deletes-are-denied
    match: { action: "mcp.clash.delete_item" }
    deny: "Nothing is deleted here"
`;

/** An MCP server whose tools `deleteItem` and `delete_item` both become `mcp.clash.delete_item`. */
function clashingServer(sdk: string): string {
  return `
import { McpServer } from ${JSON.stringify(pathToFileURL(path.join(sdk, 'server/mcp.js')).href)};
import { StdioServerTransport } from ${JSON.stringify(pathToFileURL(path.join(sdk, 'server/stdio.js')).href)};
const server = new McpServer({ name: 'clash', version: '1.0.0' });
const reply = (text) => async () => ({ content: [{ type: 'text', text }] });
server.tool('deleteItem', 'Deletes an item', reply('deleted (camel)'));
server.tool('delete_item', 'Deletes an item', reply('deleted (snake)'));
server.tool('listItems', 'Lists items', reply('a, b'));
await server.connect(new StdioServerTransport());
`;
}

let gatehouse: TestGatehouse;
let directory: string;
let gateway: McpGateway;
let client: Client;

beforeAll(async () => {
  gatehouse = await startTestGatehouse(POLICY);
  directory = await mkdtemp(path.join(tmpdir(), 'gatehouse-mcp-clash-'));
  const sdk = path.dirname(
    path.dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/sdk/server/mcp.js')),
  );
  const script = path.join(directory, 'clash-server.mjs');
  await writeFile(script, clashingServer(sdk));
  gateway = await createMcpGateway({
    name: 'clash',
    upstream: { command: process.execPath, args: [script] },
    gatehouse: { url: gatehouse.url, token: gatehouse.tokens.agent },
    timeoutMs: 60_000,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.connect(serverSide);
  client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientSide);
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await gatehouse?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  return first?.type === 'text' ? first.text : '';
}

describe('MCP gateway: tools whose actions clash', () => {
  it('refuses both tools that share one action, and sends nothing to Gatehouse or upstream', async () => {
    const before = (await gatehouse.audit('request.created')).length;
    for (const name of ['deleteItem', 'delete_item']) {
      const result = await client.callTool({ name, arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('mcp.clash.delete_item');
      expect(textOf(result)).not.toContain('deleted');
    }
    expect(await gatehouse.audit('request.created')).toHaveLength(before);
  });

  it('gates a mixedCase tool under its canonical action', async () => {
    const result = await client.callTool({ name: 'listItems', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('a, b');
    const created = await gatehouse.audit('request.created');
    expect(created.at(-1)?.data.action).toBe('mcp.clash.list_items');
  });
});
