import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, cli, jsonOf, tempDir } from '../cli-harness.test-support.js';

const POLICY = `version: 1
defaults: { decision: allow, expiresIn: 24h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: force-push
    match: { action: shell.execute, command: "git push*" }
    when: "command.argv.exists(a, a == '--force' || a == '-f')"
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: no-prod-db-drops
    match: { action: "db.drop", environment: prod }
    deny: "Dropping production databases is never allowed"
`;

const PASSING = `- name: force push needs a moderator
  action: shell.execute
  params: { command: "cd repo && git push --force" }
  requester: agent:ci-bot
  expect: require
  rules: [force-push]
- name: plain push is allowed
  action: shell.execute
  params: { command: "git push" }
  expect: allow
- name: prod drops are denied
  action: db.drop
  context: { environment: prod }
  requester: { kind: user, id: alice, role: moderator, teams: [infra] }
  expect: deny
  rules: [no-prod-db-drops]
`;

const FAILING = `- name: plain push is allowed
  action: shell.execute
  params: { command: "git push" }
  expect: allow
- name: staging drops are denied
  action: db.drop
  context: { environment: staging }
  expect: deny
  rules: [no-prod-db-drops]
`;

const MALFORMED = `- name: fine
  action: shell.execute
  expect: allow
- name: wrong
  action: Not An Action
  expect: maybe
  colour: blue
`;

let dir: string;
let policy: string;

async function file(name: string, text: string): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, text);
  return target;
}

beforeAll(async () => {
  dir = await tempDir();
  policy = await file('policy.yaml', POLICY);
});

afterAll(cleanUp);

describe('gatehouse policy test', () => {
  it('passes when every case gets its expected decision and rules', async () => {
    const tests = await file('passing.yaml', PASSING);
    const run = await cli(['policy', 'test', policy, tests]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'PASS  force push needs a moderator\nPASS  plain push is allowed\nPASS  prod drops are denied\n3 passed, 0 failed\n',
    );
  });

  it('exits 1 and says why for each failing case, with its line and column', async () => {
    const tests = await file('failing.yaml', FAILING);
    const run = await cli(['policy', 'test', policy, tests]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('PASS  plain push is allowed\n');
    expect(run.stdout).toContain(
      `FAIL  staging drops are denied (${tests}:5:3): expected deny, got allow; rules that did not match: no-prod-db-drops (matched: none)\n`,
    );
    expect(run.stdout).toContain('1 passed, 1 failed\n');
    const json = jsonOf<{
      passed: number;
      failed: number;
      cases: { name: string; passed: boolean; actual: string }[];
    }>(await cli(['policy', 'test', policy, tests, '--json']));
    expect(json).toMatchObject({ passed: 1, failed: 1 });
    expect(json.cases[1]).toMatchObject({ name: 'staging drops are denied', passed: false, actual: 'allow' });
  });

  it('reports every problem of a malformed tests file as file:line:column (exit 1)', async () => {
    const tests = await file('malformed.yaml', MALFORMED);
    const run = await cli(['policy', 'test', policy, tests]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `${tests}:5:11: error: wrong: action: is not in canonical form: write "notanaction"`,
      `${tests}:6:11: error: wrong: expect: expected allow, deny or require`,
      `${tests}:7:3: error: unknown key "colour" (expected name, action, params, context, requester, expect, rules)`,
    ]);
    const syntax = await file('syntax.yaml', '- name: x\n  action: [unclosed\n');
    const broken = await cli(['policy', 'test', policy, syntax, '--json']);
    expect(broken.code).toBe(1);
    expect(jsonOf<{ problems: string[] }>(broken).problems[0]).toMatch(
      new RegExp(`^${syntax}:\\d+:\\d+: error: `),
    );
  });

  it('exits 3 when a file cannot be read and 2 without both files', async () => {
    expect((await cli(['policy', 'test', policy, path.join(dir, 'missing.yaml')])).code).toBe(3);
    expect((await cli(['policy', 'test', policy])).code).toBe(2);
  });
});
