import { generateText, type ModelMessage, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gatehouseToolApprovals } from '../src/adapters/ai-sdk.js';
import { createGatehouse, type Gatehouse } from '../src/index.js';
import { startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';
import { SDK_TEST_POLICY } from './sdk-policy.test-support.js';

// The Vercel AI SDK 6 adapter with the real `generateText`, the `ai/test` mock model scripted
// to make one tool call and then repeat the tool's result, and a real Gatehouse.

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
};

/** A model that calls `toolName` with `input` once, then answers with the tool result it was given. */
function scriptedModel(toolName: string, input: Record<string, unknown>) {
  return new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => {
      const result = prompt
        .flatMap((message) => (message.role === 'tool' ? message.content : []))
        .find((part) => part.type === 'tool-result');
      if (result === undefined) {
        return {
          content: [{ type: 'tool-call', toolCallId: 'call_1', toolName, input: JSON.stringify(input) }],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage,
          warnings: [],
        };
      }
      return {
        content: [{ type: 'text', text: `tool said: ${JSON.stringify(result.output)}` }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage,
        warnings: [],
      };
    },
  });
}

let server: TestGatehouse;
let gate: Gatehouse;

beforeAll(async () => {
  server = await startTestGatehouse(SDK_TEST_POLICY);
  gate = createGatehouse({ url: server.url, token: server.tokens.agent });
});
afterAll(async () => {
  await server?.close();
});

/** Runs the agent loop: generate, answer Gatehouse's approvals, generate again until done. */
async function runAgent(
  model: MockLanguageModelV3,
  tools: Parameters<typeof generateText>[0]['tools'],
  approvals: ReturnType<typeof gatehouseToolApprovals>,
) {
  const messages: ModelMessage[] = [{ role: 'user', content: 'Do it' }];
  let approvalRounds = 0;
  for (;;) {
    const result = await generateText({ model, tools, messages, stopWhen: stepCountIs(5) });
    messages.push(...result.response.messages);
    const answers = await approvals.respond(result.content);
    if (answers === undefined) return { text: result.text, approvalRounds };
    approvalRounds++;
    messages.push(answers);
  }
}

function shellTool(
  approvals: ReturnType<typeof gatehouseToolApprovals>,
  ran: string[][],
  onPending?: (id: string) => void,
) {
  const options =
    onPending === undefined ? {} : { onPending: (request: { id: string }) => onPending(request.id) };
  return tool({
    description: 'Run a command',
    inputSchema: z.object({ argv: z.array(z.string()) }),
    needsApproval: approvals.needsApproval('shell.execute', options),
    execute: approvals.execute(
      'shell.execute',
      async ({ argv }: { argv: string[] }) => {
        ran.push(argv);
        return `ran ${argv.join(' ')}`;
      },
      options,
    ),
  });
}

describe('Vercel AI SDK adapter', () => {
  it('a call that needs a reviewer is answered by Gatehouse, then runs with its grant consumed', async () => {
    const approvals = gatehouseToolApprovals(gate);
    const ran: string[][] = [];
    let requestId: string | undefined;
    const shell = shellTool(approvals, ran, (id) => {
      requestId = id;
      void server.approve(id);
    });
    const { text, approvalRounds } = await runAgent(
      scriptedModel('shell', { argv: ['df', '-h'] }),
      { shell },
      approvals,
    );
    expect(approvalRounds).toBe(1);
    expect(ran).toEqual([['df', '-h']]);
    expect(text).toBe('tool said: {"type":"text","value":"ran df -h"}');
    const types = (await server.audit())
      .filter((row) => row.subject === `request:${requestId}`)
      .map((row) => row.type);
    expect(types).toEqual([
      'request.created',
      'review.recorded',
      'stage.completed',
      'request.approved',
      'grant.issued',
      'grant.consumed',
      'request.outcome',
    ]);
  });

  it('a call the policy denies is answered "denied" with the reason, and never runs', async () => {
    const approvals = gatehouseToolApprovals(gate);
    const ran: string[][] = [];
    const shell = shellTool(approvals, ran);
    const { text } = await runAgent(
      scriptedModel('shell', { argv: ['rm', '-rf', '/'] }),
      { shell },
      approvals,
    );
    expect(ran).toEqual([]);
    expect(text).toContain('execution-denied');
    expect(text).toContain('policy rule \\"never-rm-root\\": Recursive delete of / is never allowed');
  });

  it('a call the policy allows runs without an approval round, through a guard', async () => {
    const approvals = gatehouseToolApprovals(gate);
    const listed: string[] = [];
    const listFiles = tool({
      description: 'List a directory',
      inputSchema: z.object({ dir: z.string() }),
      needsApproval: approvals.needsApproval('files.list'),
      execute: approvals.execute('files.list', async ({ dir }: { dir: string }) => {
        listed.push(dir);
        return `3 files in ${dir}`;
      }),
    });
    const consumedBefore = (await server.audit('grant.consumed')).length;
    const { approvalRounds } = await runAgent(
      scriptedModel('listFiles', { dir: '/srv' }),
      { listFiles },
      approvals,
    );
    expect(approvalRounds).toBe(0);
    expect(listed).toEqual(['/srv']);
    expect((await server.audit('grant.consumed')).length).toBe(consumedBefore + 1);
  });

  it('respond leaves approval requests of tools Gatehouse does not gate to the caller', async () => {
    const approvals = gatehouseToolApprovals(gate);
    const answer = await approvals.respond([
      {
        type: 'tool-approval-request',
        approvalId: 'a1',
        toolCall: { toolCallId: 'unknown', toolName: 'x', input: {} },
      },
    ]);
    expect(answer).toBeUndefined();
  });
});
