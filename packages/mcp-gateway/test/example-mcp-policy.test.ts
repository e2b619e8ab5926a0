import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../../sdk/test/gatehouse-harness.test-support.js';
import { toolAction } from '../src/index.js';

// The promise examples/mcp-policy.yaml and the quickstart make (issue 8, item 9): every tool of
// the real filesystem MCP server that can write is reviewed; reads are allowed by name; a tool
// the policy has never heard of is reviewed too. Checked against the server's own tool list and
// a real Gatehouse's /v1/evaluate, so a tool added upstream cannot slip through unnoticed.

const FILESYSTEM_SERVER = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);
const EXAMPLE = new URL('../../../examples/mcp-policy.yaml', import.meta.url);

let gatehouse: TestGatehouse;
let tools: { name: string; readOnly: boolean }[];

beforeAll(async () => {
  gatehouse = await startTestGatehouse(await readFile(EXAMPLE, 'utf8'));
  const client = new Client({ name: 'probe', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [FILESYSTEM_SERVER, '/tmp'],
      stderr: 'ignore',
    }),
  );
  const listed = await client.listTools();
  await client.close();
  tools = listed.tools.map((tool) => ({
    name: tool.name,
    readOnly: tool.annotations?.readOnlyHint === true,
  }));
});

afterAll(async () => {
  await gatehouse?.close();
});

async function outcomeOf(action: string): Promise<string> {
  const response = await fetch(`${gatehouse.url}/v1/evaluate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gatehouse.tokens.agent}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action, params: {} }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { decision: { outcome: string } };
  return body.decision.outcome;
}

describe('examples/mcp-policy.yaml', () => {
  it('allows each read-only tool of the filesystem server and reviews every other one', async () => {
    expect(tools.length).toBeGreaterThan(5);
    const outcomes = await Promise.all(
      tools.map(
        async (tool) => [tool.name, tool.readOnly, await outcomeOf(toolAction('fs', tool.name))] as const,
      ),
    );
    for (const [name, readOnly, outcome] of outcomes) {
      expect({ name, outcome }).toEqual({ name, outcome: readOnly ? 'allow' : 'require' });
    }
    expect(outcomes.filter(([, readOnly]) => !readOnly).map(([name]) => name)).toEqual(
      expect.arrayContaining(['write_file', 'edit_file', 'move_file', 'create_directory']),
    );
  });

  it('reviews a tool it has never heard of', async () => {
    expect(await outcomeOf('mcp.fs.delete_everything')).toBe('require');
  });
});
