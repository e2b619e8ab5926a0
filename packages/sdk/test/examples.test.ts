import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuilt, runExample } from './example-runner.test-support.js';
import { startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';

// The agent examples in examples/, run with node as a user would, against a real Gatehouse
// that uses the example policy (examples/policy.yaml): shell.execute waits for a reviewer.

/** Each starts node and loads its framework: slow on a busy machine, so they get a minute. */
const SPAWN_TIMEOUT_MS = 60_000;

let server: TestGatehouse;
let env: Record<string, string>;

beforeAll(async () => {
  requireBuilt('sdk');
  server = await startTestGatehouse(await readFile(path.join(REPO_ROOT, 'examples', 'policy.yaml'), 'utf8'));
  env = { GATEHOUSE_URL: server.url, GATEHOUSE_TOKEN: server.tokens.agent };
});
afterAll(async () => {
  await server?.close();
});

describe.each([
  ['shell-agent.mjs', 'examples/shell-agent.mjs', (words: string) => `${words}\n`],
  [
    'openai-agents-agent.mjs',
    'examples/openai-agents-agent.mjs',
    (words: string) => `The tool said: ${words}\n\n`,
  ],
  ['ai-sdk-agent.mjs', 'examples/ai-sdk-agent.mjs', (words: string) => `The tool said: ${words}\n\n`],
])('%s', (_name, script, expected) => {
  it(
    'runs the command once a reviewer approves it, and its grant is consumed',
    async () => {
      const words = `approved run of ${script}`;
      const pending: string[] = [];
      const run = await runExample(script, ['--', 'echo', words], env, (id) => {
        pending.push(id);
        void server.approve(id);
      });
      expect(run.stderr).toMatch(/Waiting for approval: request /);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(expected(words));
      expect(pending).toHaveLength(1);
      const types = (await server.audit())
        .filter((row) => row.subject === `request:${pending[0]}`)
        .map((row) => row.type);
      expect(types).toContain('grant.consumed');
      expect(types.at(-1)).toBe('request.outcome');
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'does not run the command when the reviewer denies it',
    async () => {
      const run = await runExample(
        script,
        ['--', 'echo', 'must not run'],
        env,
        (id) => void server.deny(id, 'not today'),
      );
      expect(run.stdout).not.toContain('must not run\n');
      expect(`${run.stdout}${run.stderr}`).toContain('reviewer rita, who said: "not today"');
      if (script.endsWith('shell-agent.mjs')) expect(run.code).toBe(126);
    },
    SPAWN_TIMEOUT_MS,
  );
});
