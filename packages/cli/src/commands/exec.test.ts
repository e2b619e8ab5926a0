import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import {
  apiEnv,
  callApi,
  captureIo,
  cleanUp,
  cli,
  issueToken,
  jsonOf,
  startTestGatehouse,
  type TestGatehouse,
  tempDir,
} from '../cli-harness.test-support.js';

const EXEC_POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: prod-needs-a-moderator
    match: { action: shell.execute, environment: prod }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: forbidden-environment
    match: { action: shell.execute, environment: forbidden }
    deny: "Nothing runs in the forbidden environment"
`;

/** A command whose only effect is to write `ran` to the file named by its last argument. */
function writeFileCommand(file: string): string[] {
  return [process.execPath, '-e', "require('node:fs').writeFileSync(process.argv[1], 'ran')", file];
}

let gatehouse: TestGatehouse;
let agentToken: string;
let aliceToken: string;
let agent: Record<string, string>;

interface RequestDetail {
  readonly id: string;
  readonly status: string;
  readonly outcome?: { result: string; detail?: string };
  readonly timeline: { type: string; actor: string }[];
}

async function requestDetail(id: string): Promise<RequestDetail> {
  const response = await callApi<RequestDetail>(gatehouse, aliceToken, 'GET', `/v1/requests/${id}`);
  expect(response.status).toBe(200);
  return response.body;
}

/** Starts `gatehouse exec` in the background and waits until it says its request is pending. */
async function execWaiting(argv: readonly string[], signal?: AbortSignal) {
  const io = captureIo({ env: agent, ...(signal === undefined ? {} : { signal }) });
  const exited = runCli(['exec', '--context', 'environment=prod', '--reason', 'tests', ...argv], io);
  const [, id, waitingFor] = await io.waitFor('err', /request (\S+) is waiting for (.+)\n/);
  return { io, exited, id: id as string, waitingFor: waitingFor as string };
}

beforeAll(async () => {
  gatehouse = await startTestGatehouse({ policy: EXEC_POLICY });
  const created = await cli(['user', 'create', 'alice', '--role', 'moderator'], { env: gatehouse.hostEnv });
  expect(created.code).toBe(0);
  expect(
    (await cli(['agent', 'create', 'runner', '--owner', 'admin'], { env: gatehouse.hostEnv })).code,
  ).toBe(0);
  agentToken = await issueToken(gatehouse, '--agent', 'runner');
  aliceToken = await issueToken(gatehouse, '--user', 'alice');
  agent = apiEnv(gatehouse, agentToken);
});

afterAll(cleanUp);

describe('gatehouse exec', () => {
  it('runs an allowed command at once and exits with its exit code, reporting the outcome', async () => {
    const run = await cli(['exec', '--json', '--', process.execPath, '-e', 'process.exit(3)'], {
      env: agent,
    });
    expect(run.code).toBe(3);
    const report = jsonOf<{ requestId: string; status: string; ran: boolean; exitCode: number }>(run);
    expect(report).toMatchObject({ status: 'approved', ran: true, exitCode: 3 });
    const detail = await requestDetail(report.requestId);
    expect(detail.outcome).toMatchObject({ result: 'failed', detail: 'exit code 3' });
    expect(detail.timeline.map((record) => record.type)).toEqual(
      expect.arrayContaining(['grant.issued', 'grant.consumed', 'request.outcome']),
    );
  });

  it('security: a pending command runs only after another user approves it', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const { exited, id, waitingFor, io } = await execWaiting(['--', ...writeFileCommand(file)]);
    expect(waitingFor).toBe('1 approval from role:moderator');
    expect(existsSync(file)).toBe(false);
    // The requester cannot approve itself, and nothing runs meanwhile.
    const selfApproval = await callApi(gatehouse, agentToken, 'POST', `/v1/requests/${id}/reviews`, {
      decision: 'approve',
    });
    expect(selfApproval.status).toBe(403);
    expect(existsSync(file)).toBe(false);

    const approval = await callApi(gatehouse, aliceToken, 'POST', `/v1/requests/${id}/reviews`, {
      decision: 'approve',
    });
    expect(approval.status).toBe(200);
    expect(await exited).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('ran');
    expect(io.stderr()).toContain(`request ${id} approved; running it`);
    const detail = await requestDetail(id);
    expect(detail.outcome).toMatchObject({ result: 'succeeded', detail: 'exit code 0' });
    const types = detail.timeline.map((record) => record.type);
    expect(types.indexOf('grant.consumed')).toBeGreaterThan(types.indexOf('request.approved'));
    expect(types.indexOf('request.outcome')).toBeGreaterThan(types.indexOf('grant.consumed'));
  });

  it('security: a command denied by policy never runs (exit 126, the rule’s reason, audited)', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const run = await cli(
      ['exec', '--context', 'environment=forbidden', '--json', '--', ...writeFileCommand(file)],
      {
        env: agent,
      },
    );
    expect(run.code).toBe(126);
    expect(run.stderr).toBe(
      'gatehouse exec: not run: denied by policy: forbidden-environment: Nothing runs in the forbidden environment\n',
    );
    const report = jsonOf<{ requestId: string; ran: boolean; status: string }>(run);
    expect(report).toMatchObject({ ran: false, status: 'denied' });
    expect(existsSync(file)).toBe(false);
    const detail = await requestDetail(report.requestId);
    expect(detail.status).toBe('denied');
    expect(detail.timeline.map((record) => record.type)).toContain('request.denied');
  });

  it('security: a command a reviewer denies never runs (exit 126 with the reviewer’s comment)', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const { exited, id, io } = await execWaiting(['--', ...writeFileCommand(file)]);
    const denial = await callApi(gatehouse, aliceToken, 'POST', `/v1/requests/${id}/reviews`, {
      decision: 'deny',
      comment: 'not on a Friday',
    });
    expect(denial.status).toBe(200);
    expect(await exited).toBe(126);
    expect(io.stderr()).toContain('gatehouse exec: not run: denied by alice: not on a Friday\n');
    expect(existsSync(file)).toBe(false);
  });

  it('security: exec fails closed when the server is unreachable (exit 4, never runs)', async () => {
    const down = await startTestGatehouse({ policy: EXEC_POLICY });
    await down.close();
    const file = path.join(await tempDir(), 'side-effect');
    const run = await cli(['exec', '--', ...writeFileCommand(file)], {
      env: { GATEHOUSE_URL: down.url, GATEHOUSE_TOKEN: agentToken },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /^gatehouse exec: cannot reach the Gatehouse server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\n$/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('stops waiting at --timeout, cancels the request and exits 126', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const { exited, id } = await execWaiting(['--timeout', '1s', '--', ...writeFileCommand(file)]);
    expect(await exited).toBe(126);
    expect((await requestDetail(id)).status).toBe('cancelled');
    expect(existsSync(file)).toBe(false);
  });

  it('cancels the request when interrupted while waiting (exit 130)', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const interrupt = new AbortController();
    const { exited, id } = await execWaiting(['--', ...writeFileCommand(file)], interrupt.signal);
    interrupt.abort();
    expect(await exited).toBe(130);
    expect((await requestDetail(id)).status).toBe('cancelled');
    expect(existsSync(file)).toBe(false);
  });

  it('exits 127 when the approved command does not exist, and records the failure', async () => {
    const run = await cli(['exec', '--json', '--', 'gatehouse-no-such-command-anywhere'], { env: agent });
    expect(run.code).toBe(127);
    const { requestId, ran } = jsonOf<{ requestId: string; ran: boolean }>(run);
    expect(ran).toBe(false);
    expect((await requestDetail(requestId)).outcome).toMatchObject({
      result: 'failed',
      detail: 'could not start: ENOENT',
    });
  });

  it('exits 5 with a token the server does not accept, and never runs', async () => {
    const file = path.join(await tempDir(), 'side-effect');
    const run = await cli(['exec', '--', ...writeFileCommand(file)], {
      env: { GATEHOUSE_URL: gatehouse.url, GATEHOUSE_TOKEN: 'gh_aaaaaaaaaaaa_not-a-real-secret' },
    });
    expect(run.code).toBe(5);
    expect(existsSync(file)).toBe(false);
  });
});
