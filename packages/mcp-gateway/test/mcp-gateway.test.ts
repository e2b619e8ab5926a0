import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../../sdk/test/gatehouse-harness.test-support.js';
import { createMcpGateway, type McpGateway, toolAction } from '../src/index.js';

// The MCP gateway in front of the real @modelcontextprotocol/server-filesystem (spawned with
// node, rooted in a temporary directory), used through the official MCP client, deciding
// with a real Gatehouse.

const POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: writes-need-a-moderator
    match: { action: "mcp.fs.write_file" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: nothing-into-locked
    match: { action: "mcp.fs.write_file" }
    when: "params.path.contains('/locked/')"
    deny: "Nothing may be written under locked/"
`;

/** The filesystem server's entry point, resolved from node_modules. */
export const FILESYSTEM_SERVER = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);

let server: TestGatehouse;
let root: string;
let gateway: McpGateway;
let client: Client;

function upstream() {
  return { command: process.execPath, args: [FILESYSTEM_SERVER, root] };
}

async function connectClient(target: McpGateway): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await target.connect(serverSide);
  const connected = new Client({ name: 'test-client', version: '1.0.0' });
  await connected.connect(clientSide);
  return connected;
}

/** A valid initialize request, as a client's first message. */
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'probe', version: '1.0.0' },
  },
};

function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  return first?.type === 'text' ? first.text : '';
}

beforeAll(async () => {
  server = await startTestGatehouse(POLICY);
  root = await mkdtemp(path.join(tmpdir(), 'gatehouse-mcp-'));
  await writeFile(path.join(root, 'hello.txt'), 'hello from the filesystem');
  gateway = await createMcpGateway({
    name: 'fs',
    upstream: upstream(),
    gatehouse: { url: server.url, token: server.tokens.agent },
    timeoutMs: 60_000,
    progressIntervalMs: 60_000,
  });
  client = await connectClient(gateway);
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await server?.close();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

describe('MCP gateway', () => {
  it('lists the upstream tools unchanged', async () => {
    const direct = new Client({ name: 'direct', version: '1.0.0' });
    await direct.connect(new StdioClientTransport({ ...upstream(), stderr: 'ignore' }));
    const expected = await direct.listTools();
    await direct.close();
    const listed = await client.listTools();
    expect(listed.tools).toEqual(expected.tools);
    expect(listed.tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['read_text_file', 'write_file']),
    );
  });

  it('passes an allowed read through, after consuming its grant', async () => {
    const result = await client.callTool({
      name: 'read_text_file',
      arguments: { path: path.join(root, 'hello.txt') },
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('hello from the filesystem');
    const created = (await server.audit('request.created')).filter(
      (row) => row.data.action === 'mcp.fs.read_text_file',
    );
    expect(created).toHaveLength(1);
    const types = (await server.audit())
      .filter((row) => row.subject === created[0]?.subject)
      .map((row) => row.type);
    expect(types).toEqual([
      'request.created',
      'request.approved',
      'grant.issued',
      'grant.consumed',
      'request.outcome',
    ]);
  });

  it('returns a denied write as a tool error with the reason, and writes nothing', async () => {
    const target = path.join(root, 'locked', 'x.txt');
    const result = await client.callTool({ name: 'write_file', arguments: { path: target, content: 'no' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(
      'policy rule "nothing-into-locked": Nothing may be written under locked/',
    );
    await expect(readFile(target)).rejects.toThrow();
    const denied = await server.audit('request.denied');
    expect(denied.at(-1)?.data).toMatchObject({ by: 'policy', reasons: [{ rule: 'nothing-into-locked' }] });
  });

  it('holds a write until a reviewer approves it, sending progress, then passes it through', async () => {
    const target = path.join(root, 'approved.txt');
    const progress: Progress[] = [];
    let approving: Promise<void> | undefined;
    const result = await client.callTool(
      { name: 'write_file', arguments: { path: target, content: 'approved content' } },
      undefined,
      {
        onprogress: (update) => {
          progress.push(update);
          const requestId = update.message?.match(/request ([0-9a-f-]{36})/)?.[1];
          if (requestId !== undefined && approving === undefined) approving = server.approve(requestId);
        },
      },
    );
    await approving;
    expect(result.isError).toBeFalsy();
    expect(await readFile(target, 'utf8')).toBe('approved content');
    expect(progress[0]?.message).toMatch(
      /^Waiting for approval of mcp\.fs\.write_file in Gatehouse \(request [0-9a-f-]{36}\)$/,
    );
  });

  it('answers a call still pending at the time-out with an error saying so, and withdraws the request', async () => {
    const impatient = await createMcpGateway({
      name: 'fs',
      upstream: upstream(),
      gatehouse: { url: server.url, token: server.tokens.agent },
      timeoutMs: 1,
    });
    const impatientClient = await connectClient(impatient);
    try {
      const target = path.join(root, 'never.txt');
      const result = await impatientClient.callTool({
        name: 'write_file',
        arguments: { path: target, content: 'x' },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /^Timed out after 1ms awaiting approval of mcp\.fs\.write_file in Gatehouse \(request [0-9a-f-]{36}\)/,
      );
      const requestId = textOf(result).match(/request ([0-9a-f-]{36})/)?.[1];
      expect(
        (await server.audit('request.cancelled')).some((row) => row.subject === `request:${requestId}`),
      ).toBe(true);
      await expect(readFile(target)).rejects.toThrow();
    } finally {
      await impatientClient.close();
      await impatient.close();
    }
  });

  it('serves the same over Streamable HTTP on 127.0.0.1', async () => {
    const served = await gateway.serveHttp(0);
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const httpClient = new Client({ name: 'http-client', version: '1.0.0' });
    await httpClient.connect(new StreamableHTTPClientTransport(new URL(served.url)));
    try {
      expect((await httpClient.listTools()).tools.length).toBeGreaterThan(5);
      const result = await httpClient.callTool({
        name: 'read_text_file',
        arguments: { path: path.join(root, 'hello.txt') },
      });
      expect(textOf(result)).toBe('hello from the filesystem');
    } finally {
      await httpClient.close();
      await served.close();
    }
  });

  it('refuses HTTP requests whose Host is not the loopback address (DNS rebinding)', async () => {
    const served = await gateway.serveHttp(0);
    try {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const request = httpRequest(
          served.url,
          {
            method: 'POST',
            headers: {
              host: 'evil.example',
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify(INITIALIZE));
      });
      expect(status).toBe(403);
    } finally {
      await served.close();
    }
  });
});

describe('toolAction', () => {
  it('names a tool call mcp.<server>.<tool>, keeping dots and replacing what an action cannot hold', () => {
    expect(toolAction('fs', 'write_file')).toBe('mcp.fs.write_file');
    expect(toolAction('gh', 'issues.create')).toBe('mcp.gh.issues.create');
    expect(toolAction('x', 'say hi/now')).toBe('mcp.x.say_hi_now');
  });
});
