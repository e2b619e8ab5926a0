import { readFile } from 'node:fs/promises';
import { it } from 'vitest';
import { createGatehouse } from '../src/index.js';
import { startTestGatehouse } from './gatehouse-harness.test-support.js';
it('scratch', async () => {
  const original = await readFile('examples/policy.yaml', 'utf8');
  const out: string[] = [];
  for (const policy of [original, original.replace("params.command.matches(", "command.text.matches(")]) {
    const server = await startTestGatehouse(policy);
    const gate = createGatehouse({ url: server.url, token: server.tokens.agent });
    for (const params of [{ argv: ['echo', 'hi'] }, { command: 'echo hi' }, { argv: ['rm', '-rf', '/'] }, { command: 'cd x && rm -rf /' }]) {
      const e = await gate.evaluate('shell.execute', params);
      out.push(`${JSON.stringify(params)} ${e.decision.outcome} ${JSON.stringify(e.decision.reasons ?? [])}`);
    }
    await server.close();
  }
  throw new Error(out.join('\n'));
});
