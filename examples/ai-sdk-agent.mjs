#!/usr/bin/env node
// A Vercel AI SDK agent whose shell tool is gated by Gatehouse.
//
//   GATEHOUSE_URL=http://127.0.0.1:8080 GATEHOUSE_TOKEN=gh_… node examples/ai-sdk-agent.mjs -- echo hello
//
// It runs offline with the AI SDK's mock model, scripted to ask for the command given on the
// command line. To use a real model: `npm install @ai-sdk/openai`, then
// `import { openai } from '@ai-sdk/openai'` and pass `model: openai('gpt-4.1')` (OPENAI_API_KEY).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createGatehouse } from '@gatehouse/sdk';
import { gatehouseToolApprovals } from '@gatehouse/sdk/ai-sdk';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';

const exec = promisify(execFile);
const separator = process.argv.indexOf('--');
const argv = separator === -1 ? ['echo', 'hello from the agent'] : process.argv.slice(separator + 1);

const usage = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};
/** A stand-in for an LLM: asks for one shell command, then reports what the tool said. */
const model = new MockLanguageModelV3({
  doGenerate: async ({ prompt }) => {
    const result = prompt
      .flatMap((message) => (message.role === 'tool' ? message.content : []))
      .find((part) => part.type === 'tool-result');
    if (result === undefined) {
      const call = {
        type: 'tool-call',
        toolCallId: 'call_1',
        toolName: 'runShell',
        input: JSON.stringify({ argv }),
      };
      return {
        content: [call],
        finishReason: { unified: 'tool-calls', raw: undefined },
        usage,
        warnings: [],
      };
    }
    const { output } = result;
    const said =
      output.type === 'text'
        ? output.value
        : output.type === 'execution-denied'
          ? output.reason
          : JSON.stringify(output);
    return {
      content: [{ type: 'text', text: `The tool said: ${said}` }],
      finishReason: { unified: 'stop', raw: undefined },
      usage,
      warnings: [],
    };
  },
});

const gate = createGatehouse({ url: process.env.GATEHOUSE_URL, token: process.env.GATEHOUSE_TOKEN });
const approvals = gatehouseToolApprovals(gate);
const gated = { onPending: (request) => console.error(`Waiting for approval: request ${request.id}`) };

const runShell = tool({
  description: 'Run a command (an argument vector, no shell) on this machine',
  inputSchema: z.object({ argv: z.array(z.string()).min(1) }),
  // Gatehouse's policy decides whether a person must approve; a denial reaches the model as text.
  needsApproval: approvals.needsApproval('shell.execute', gated),
  // Runs only once the grant is consumed for exactly this argv.
  execute: approvals.execute(
    'shell.execute',
    async ({ argv: words }) => (await exec(words[0], words.slice(1))).stdout,
    gated,
  ),
});

const messages = [{ role: 'user', content: `Please run: ${argv.join(' ')}` }];
for (;;) {
  const result = await generateText({ model, tools: { runShell }, messages, stopWhen: stepCountIs(5) });
  messages.push(...result.response.messages);
  // Gatehouse answers the approval requests: it submits each call and waits for a reviewer.
  const answers = await approvals.respond(result.content);
  if (answers === undefined) {
    console.log(result.text);
    break;
  }
  messages.push(answers);
}
