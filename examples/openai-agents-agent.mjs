#!/usr/bin/env node
// An OpenAI Agents JS agent whose shell tool is gated by Gatehouse.
//
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_TOKEN=gh_… node examples/openai-agents-agent.mjs -- echo hello
//
// It runs offline with a scripted model that asks for the command given on the command line.
// To use a real model, drop `model: scriptedModel(...)` (the agent then uses the default
// OpenAI model with OPENAI_API_KEY) or pass `model: 'gpt-4.1'`, and remove setTracingDisabled.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createGatehouse } from '@gatehouse/sdk';
import { gatehouseAgentApprovals } from '@gatehouse/sdk/openai-agents';
import { Agent, run, setTracingDisabled, tool, Usage } from '@openai/agents';
import { z } from 'zod';

setTracingDisabled(true);
const exec = promisify(execFile);
const separator = process.argv.indexOf('--');
const argv = separator === -1 ? ['echo', 'hello from the agent'] : process.argv.slice(separator + 1);

/** A stand-in for an LLM: asks for one shell command, then reports what the tool said. */
function scriptedModel(command) {
  return {
    async getResponse(request) {
      const items = Array.isArray(request.input) ? request.input : [];
      const result = items.find((item) => item.type === 'function_call_result');
      if (result === undefined) {
        const call = {
          type: 'function_call',
          name: 'run_shell',
          callId: 'call_1',
          status: 'completed',
          arguments: JSON.stringify({ argv: command }),
        };
        return { usage: new Usage(), output: [call] };
      }
      const text = result.output?.text ?? JSON.stringify(result.output);
      return {
        usage: new Usage(),
        output: [
          {
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: `The tool said: ${text}` }],
          },
        ],
      };
    },
    async *getStreamedResponse() {
      yield* [];
      throw new Error('the scripted model does not stream');
    },
  };
}

const gate = createGatehouse({ url: process.env.GATEHOUSE_URL, token: process.env.GATEHOUSE_TOKEN });
const approvals = gatehouseAgentApprovals(gate);
const gated = { onPending: (request) => console.error(`Waiting for approval: request ${request.id}`) };

const runShell = tool({
  name: 'run_shell',
  description: 'Run a command (an argument vector, no shell) on this machine',
  parameters: z.object({ argv: z.array(z.string()).min(1) }),
  // Gatehouse's policy decides whether a person must approve; a denial reaches the model as text.
  needsApproval: approvals.needsApproval('shell.execute', gated),
  // Runs only once the grant is consumed for exactly this argv.
  execute: approvals.execute(
    'shell.execute',
    async ({ argv: words }) => (await exec(words[0], words.slice(1))).stdout,
    gated,
  ),
});

const agent = new Agent({
  name: 'ops',
  instructions: 'Run the command the user asks for.',
  model: scriptedModel(argv),
  tools: [runShell],
});

let result = await run(agent, `Please run: ${argv.join(' ')}`);
while (result.interruptions.length > 0) {
  await approvals.resolve(result);
  result = await run(agent, result.state);
}
console.log(result.finalOutput);
