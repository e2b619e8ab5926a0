import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from './cli.js';
import { cleanUp, cli, jsonOf, tempDir } from './cli-harness.test-support.js';

afterAll(cleanUp);

const BAD_POLICY = `version: 1
rules:
  - name: broken
    match: { action: shell.execute }
    deny: 42
    surprise: true
`;

describe('gatehouse (dispatch, usage, exit codes)', () => {
  it('lists every command and the exit codes in --help', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toContain(command.name);
    for (const code of ['0 ', '1 ', '2 ', '3 ', '4 ', '5 ', '126', '130'])
      expect(run.stdout).toContain(`  ${code}`);
  });

  it('prints every command’s own help with its options', async () => {
    for (const command of COMMANDS) {
      const run = await cli([...command.name.split(' '), '--help']);
      expect(run.code, command.name).toBe(0);
      expect(run.stdout, command.name).toContain(`Usage: gatehouse ${command.name}`);
      // mcp-proxy's stdout carries the MCP protocol, so it has no --json output.
      if (command.name !== 'mcp-proxy') expect(run.stdout, command.name).toContain('--json');
    }
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['user', 'create'], /expected <username>/],
    [['user', 'create', 'bob', '--role', 'emperor'], /--role: expected user or moderator/],
    [['requests', 'ls', '--bogus'], /Unknown option '--bogus'/],
    [['requests', 'deny', 'some-id'], /--comment <text> is required/],
    [['exec', '--reason', 'x'], /name the command after --/],
    [['exec', 'git', 'push'], /name the command after --/],
    [['exec', '--timeout', 'soon', '--', 'true'], /--timeout: "soon" is not a duration/],
    [['exec', '--context', 'novalue', '--', 'true'], /--context: expected key=value/],
    [['token', 'create'], /exactly one of --user <username> or --agent <name>/],
    [['agent', 'create', 'bot'], /exactly one of --owner <username> or --team <team>/],
    [['login'], /--server <url> is required/],
    [['login', '--server', 'ftp://x'], /expected an http/],
    [['login', '--server', 'http://localhost:1', '--username', 'a'], /needs --password-stdin/],
    [['audit', 'export', '--from', 'zero'], /--from: expected a record number/],
  ])('exits 2 with one line on stderr for %j', async (argv, message) => {
    const run = await cli(argv, { env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('prints a JSON error document with --json, and still one line on stderr', async () => {
    const run = await cli(['requests', 'deny', 'some-id', '--json'], { env: {} });
    expect(run.code).toBe(2);
    expect(jsonOf(run)).toEqual({
      error: { message: expect.stringContaining('--comment'), exitCode: 2, code: 'cli-error' },
    });
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('fails with 5 when an API command has no credentials, and 2 without a server', async () => {
    expect((await cli(['requests', 'ls'], { env: { GATEHOUSE_URL: 'http://127.0.0.1:9' } })).code).toBe(5);
    const noServer = await cli(['requests', 'ls'], { env: { XDG_CONFIG_HOME: await tempDir() } });
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toMatch(/no server/);
  });
});

describe('gatehouse policy lint', () => {
  it('exits 1 naming file:line:column for a bad policy, and --json parses', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, BAD_POLICY);
    const run = await cli(['policy', 'lint', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error\\[`),
    );
    const json = await cli(['policy', 'lint', file, '--json']);
    expect(json.code).toBe(1);
    expect(jsonOf<{ files: { valid: boolean }[] }>(json).files[0]?.valid).toBe(false);
  });

  it('flags a rule depending on what the agent only claims, at file:line:column', async () => {
    const file = path.join(await tempDir(), 'claimed.yaml');
    await writeFile(
      file,
      [
        'rules:',
        '  - name: urgent-skips-review',
        '    match: { action: "deploy.*" }',
        `    when: "context.reason.contains('urgent') || context.risk == 'low'"`,
        '    allow: true',
        '  - name: prod-by-hash',
        '    match: { action: "deploy.*" }',
        `    when: "context.environment == 'prod' && params.replicas > 3 && action != ''"`,
        '    deny: too many',
        '',
      ].join('\n'),
    );
    const run = await cli(['policy', 'lint', file]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /:4:12: error\[claimed-field\]: rule "urgent-skips-review" depends on context\.reason,/,
      ),
      expect.stringMatching(
        /:4:49: error\[claimed-field\]: rule "urgent-skips-review" depends on context\.risk,/,
      ),
      '2 problems found',
    ]);
    expect(lines[0]?.startsWith(`${file}:4:12`)).toBe(true);
  });

  it('exits 3 when the file cannot be read', async () => {
    const run = await cli(['policy', 'lint', '/nonexistent/policy.yaml']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/no such file/);
  });
});
