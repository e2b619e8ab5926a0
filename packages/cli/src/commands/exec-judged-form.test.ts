import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiEnv,
  callApi,
  cleanUp,
  cli,
  issueToken,
  jsonOf,
  startTestGatehouse,
  type TestGatehouse,
  tempDir,
} from '../cli-harness.test-support.js';

// Security cases: `gatehouse exec` submits exactly one form, its argv, which the policy judges
// as the command line it runs; what runs is that argv, and nothing else.

const POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: no-marked-commands
    match: { action: shell.execute, command: "touch *forbidden-marker*" }
    deny: "Marked commands never run"
`;

/** `touch` of `file` and `also`: files whose existence says whether the command ran. */
function touchCommand(file: string, also: string): string[] {
  return ['touch', file, also];
}

let gatehouse: TestGatehouse;
let agent: Record<string, string>;
let readerToken: string;

beforeAll(async () => {
  gatehouse = await startTestGatehouse({ policy: POLICY });
  expect(
    (await cli(['agent', 'create', 'runner', '--owner', 'admin'], { env: gatehouse.hostEnv })).code,
  ).toBe(0);
  agent = apiEnv(gatehouse, await issueToken(gatehouse, '--agent', 'runner'));
  readerToken = await issueToken(gatehouse, '--user', 'admin');
});

afterAll(cleanUp);

/** The params the request binds (the view names them `bound.params`, or `params` before that). */
async function boundParams(id: string): Promise<unknown> {
  const { body } = await callApi<{ bound?: { params: unknown }; params?: unknown }>(
    gatehouse,
    readerToken,
    'GET',
    `/v1/requests/${id}`,
  );
  return body.bound?.params ?? body.params;
}

describe('gatehouse exec runs the judged form', () => {
  it('submits exactly { argv } (no command), and runs that argv', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const argv = touchCommand(file, `${file}-benign`);
    const run = await cli(['exec', '--json', '--', ...argv], { env: agent });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    const { requestId } = jsonOf<{ requestId: string }>(run);
    expect(await boundParams(requestId)).toEqual({ argv });
  });

  it('security: the argv is judged as the command line it runs: a rule on the line denies it, and it never runs', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const run = await cli(['exec', '--json', '--', ...touchCommand(file, `${file}-forbidden-marker`)], {
      env: agent,
    });
    expect(run.code).toBe(126);
    expect(run.stderr).toContain('no-marked-commands: Marked commands never run');
    expect(existsSync(file)).toBe(false);
    expect(jsonOf<{ status: string; ran: boolean }>(run)).toMatchObject({ status: 'denied', ran: false });
  });
});
