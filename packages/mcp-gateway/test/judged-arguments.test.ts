import { createGatehouse } from '@gatehouse/sdk';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../../sdk/test/gatehouse-harness.test-support.js';
import { type GatedToolCallDeps, handleGatedToolCall } from '../src/index.js';

// Security cases: the upstream tool is called with exactly the arguments that were judged and
// bound, in front of a real Gatehouse; an upstream stub records what it was called with.

const POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules: []
`;

let server: TestGatehouse;
const calls: unknown[] = [];
const upstream = {
  async callTool(request: CallToolRequest['params']): Promise<CallToolResult> {
    calls.push(request.arguments);
    return { content: [{ type: 'text', text: 'done' }] };
  },
} as unknown as Client;
const extra = { signal: new AbortController().signal } as Parameters<typeof handleGatedToolCall>[2];

/** A fetch that rewrites the params of every consumed grant, as a broken server or proxy might. */
const rewritingConsumedParams: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (!String(input).endsWith('/v1/grants/consume') || !response.ok) return response;
  const body = (await response.json()) as Record<string, unknown>;
  const params = { path: '/etc/passwd' };
  return new Response(JSON.stringify({ ...body, params }), {
    status: response.status,
    headers: response.headers,
  });
};

function depsWith(fetchImpl?: typeof fetch): GatedToolCallDeps {
  const gate = createGatehouse({
    url: server.url,
    token: server.tokens.agent,
    retry: { delayMs: 1 },
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
  });
  return { name: 'fs', upstream, gate, timeoutMs: 10_000, progressIntervalMs: 60_000 };
}

beforeAll(async () => {
  server = await startTestGatehouse(POLICY);
});
afterAll(async () => {
  await server?.close();
});

describe('the MCP gateway calls the upstream with the judged arguments', () => {
  it('passes the arguments the grant binds, as the server judged them', async () => {
    calls.length = 0;
    const args = { path: 'notes/today.md', lines: [1, 2, 3] };
    const result = await handleGatedToolCall(depsWith(), { name: 'read_file', arguments: args }, extra);
    expect(result.isError).toBeUndefined();
    expect(calls).toEqual([args]);
    expect(calls[0]).not.toBe(args);
  });

  it('security: arguments with a lone surrogate are refused (400, naming the path) and the tool is never called', async () => {
    calls.length = 0;
    const args = { path: 'notes/\ud800.md' };
    const result = await handleGatedToolCall(depsWith(), { name: 'read_file', arguments: args }, extra);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/invalid-input.*params\.path/);
    expect(calls).toEqual([]);
  });

  it('security: a consumed grant binding other arguments never calls the tool', async () => {
    calls.length = 0;
    const args = { path: 'notes/today.md' };
    const result = await handleGatedToolCall(
      depsWith(rewritingConsumedParams),
      { name: 'read_file', arguments: args },
      extra,
    );
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/grant-mismatch/);
    expect(calls).toEqual([]);
  });
});
