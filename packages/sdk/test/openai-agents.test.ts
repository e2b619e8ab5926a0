import {
  Agent,
  type AgentInputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  run,
  setTracingDisabled,
  tool,
  Usage,
} from '@openai/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gatehouseAgentApprovals } from '../src/adapters/openai-agents.js';
import { createGatehouse, type Gatehouse } from '../src/index.js';
import { startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';
import { SDK_TEST_POLICY } from './sdk-policy.test-support.js';

// The OpenAI Agents JS adapter with the real @openai/agents runner, a scripted model (one tool
// call, then a final message that repeats the tool's output) and a real Gatehouse.

setTracingDisabled(true);

/** A model that calls one tool with fixed arguments, then answers with what the tool returned. */
class ScriptedModel implements Model {
  constructor(
    private readonly toolName: string,
    private readonly args: Record<string, unknown>,
  ) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const items = Array.isArray(request.input) ? (request.input as AgentInputItem[]) : [];
    const result = items.find((item) => item.type === 'function_call_result');
    if (result === undefined) {
      return {
        usage: new Usage(),
        output: [
          {
            type: 'function_call',
            name: this.toolName,
            callId: 'call_1',
            id: 'fc_1',
            status: 'completed',
            arguments: JSON.stringify(this.args),
          },
        ],
      };
    }
    const output = (result as { output: { type: string; text?: string } }).output;
    return {
      usage: new Usage(),
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: `tool said: ${output.text ?? JSON.stringify(output)}` }],
        },
      ],
    };
  }

  // biome-ignore lint/correctness/useYield: the runner never streams in these tests
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error('not streamed');
  }
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

/** An agent with one gated shell tool; `ran` records what the tool executed. */
function shellAgent(args: { argv: string[] }, onPending?: (id: string) => void) {
  const ran: string[][] = [];
  const approvals = gatehouseAgentApprovals(gate);
  const options =
    onPending === undefined ? {} : { onPending: (request: { id: string }) => onPending(request.id) };
  const runShell = tool({
    name: 'run_shell',
    description: 'Run a command',
    parameters: z.object({ argv: z.array(z.string()) }),
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
  const agent = new Agent({
    name: 'ops',
    instructions: 'Run what is asked.',
    model: new ScriptedModel('run_shell', args),
    tools: [runShell],
  });
  return { agent, approvals, ran };
}

describe('OpenAI Agents JS adapter', () => {
  it('a call that needs a reviewer interrupts the run, is approved in Gatehouse, then runs with its grant consumed', async () => {
    let requestId: string | undefined;
    const { agent, approvals, ran } = shellAgent({ argv: ['ls', '-la'] }, (id) => {
      requestId = id;
      void server.approve(id);
    });
    let result = await run(agent, 'List the files');
    expect(result.interruptions).toHaveLength(1);
    expect(ran).toEqual([]);

    const resolved = await approvals.resolve(result);
    expect(resolved).toEqual({ approved: 1, rejected: 0, unresolved: [] });
    result = await run(agent, result.state);

    expect(ran).toEqual([['ls', '-la']]);
    expect(result.finalOutput).toBe('tool said: ran ls -la');
    const types = (await server.audit())
      .filter((row) => row.subject === `request:${requestId}`)
      .map((row) => row.type);
    expect(types).toContain('grant.consumed');
    expect(types.at(-1)).toBe('request.outcome');
  });

  it('a call the policy denies is rejected with the reason the model hears, and never runs', async () => {
    const { agent, approvals, ran } = shellAgent({ argv: ['rm', '-rf', '/'] });
    let result = await run(agent, 'Clean up');
    expect(result.interruptions).toHaveLength(1);
    expect(await approvals.resolve(result)).toMatchObject({ approved: 0, rejected: 1 });
    result = await run(agent, result.state);
    expect(ran).toEqual([]);
    expect(result.finalOutput).toContain(
      'policy rule "never-rm-root": Recursive delete of / is never allowed',
    );
    expect(result.finalOutput).toContain('It did not run');
  });

  it('a call a reviewer denies is rejected with their comment', async () => {
    const { agent, approvals, ran } = shellAgent(
      { argv: ['reboot'] },
      (id) => void server.deny(id, 'not during business hours'),
    );
    let result = await run(agent, 'Reboot');
    await approvals.resolve(result);
    result = await run(agent, result.state);
    expect(ran).toEqual([]);
    expect(result.finalOutput).toContain('reviewer rita, who said: "not during business hours"');
  });

  it('a call the policy allows runs without an interruption, through a guard', async () => {
    const approvals = gatehouseAgentApprovals(gate);
    const listed: string[] = [];
    const listFiles = tool({
      name: 'list_files',
      description: 'List a directory',
      parameters: z.object({ dir: z.string() }),
      needsApproval: approvals.needsApproval('files.list'),
      execute: approvals.execute('files.list', async ({ dir }: { dir: string }) => {
        listed.push(dir);
        return `3 files in ${dir}`;
      }),
    });
    const agent = new Agent({
      name: 'fs',
      instructions: 'List.',
      model: new ScriptedModel('list_files', { dir: '/srv' }),
      tools: [listFiles],
    });
    const consumedBefore = (await server.audit('grant.consumed')).length;
    const result = await run(agent, 'What is in /srv?');
    expect(result.interruptions).toHaveLength(0);
    expect(listed).toEqual(['/srv']);
    expect(result.finalOutput).toBe('tool said: 3 files in /srv');
    expect((await server.audit('grant.consumed')).length).toBe(consumedBefore + 1);
  });

  it('leaves interruptions of tools Gatehouse does not gate to the caller', async () => {
    const approvals = gatehouseAgentApprovals(gate);
    const manual = tool({
      name: 'manual',
      description: 'Needs a human the old way',
      parameters: z.object({}),
      needsApproval: true,
      execute: async () => 'done',
    });
    const agent = new Agent({
      name: 'm',
      instructions: 'x',
      model: new ScriptedModel('manual', {}),
      tools: [manual],
    });
    const result = await run(agent, 'go');
    const resolved = await approvals.resolve(result);
    expect(resolved.unresolved).toHaveLength(1);
    expect(resolved.approved + resolved.rejected).toBe(0);
  });
});
