import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startWebhookReceiver } from '../../server/src/notifications/webhook-receiver.test-support.js';
import { COMMANDS, runCli } from './cli.js';
import {
  type CliRun,
  callApi,
  captureIo,
  cleanUp,
  cli,
  hostEnv,
  tempDir,
} from './cli-harness.test-support.js';

afterAll(async () => {
  await cleanUp();
  vi.unstubAllEnvs();
});

const POLICY = `version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: deploys-need-a-moderator
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
`;

const exercised = new Set<string>();

/** Runs a command with --json and returns its one JSON document. */
async function json<T = Record<string, unknown>>(
  argv: readonly string[],
  options: Parameters<typeof cli>[1] = {},
): Promise<T> {
  const command = COMMANDS.find((candidate) =>
    candidate.name.split(' ').every((word, i) => argv[i] === word),
  );
  if (command !== undefined) exercised.add(command.name);
  const separator = argv.indexOf('--');
  const withJson =
    separator === -1
      ? [...argv, '--json']
      : [...argv.slice(0, separator), '--json', ...argv.slice(separator)];
  const run: CliRun = await cli(withJson, options);
  expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as T;
}

describe('--json', () => {
  it('prints exactly one JSON document on stdout for every command', async () => {
    const dataDir = await tempDir();
    const env = hostEnv(dataDir);
    await writeFile(path.join(dataDir, 'policy.yaml'), POLICY);
    await json(['init'], { env });

    // The webhook commands deliver to a receiver on 127.0.0.1; the server reads this at start.
    vi.stubEnv('GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE', 'true');
    const stop = new AbortController();
    const serveIo = captureIo({ env, signal: stop.signal });
    exercised.add('serve');
    const serving = runCli(['serve', '--json'], serveIo);
    const [document] = await serveIo.waitFor('out', /^\{[\s\S]*\}\n/);
    const { url } = JSON.parse(document) as { url: string };

    await json(['user', 'create', 'alice', '--role', 'moderator'], { env });
    await json(['user', 'list'], { env });
    await json(['user', 'set-role', 'alice', 'moderator'], { env });
    await json(['user', 'set-email', 'alice', 'alice@example.com'], { env });
    await json(['team', 'create', 'ops'], { env });
    await json(['team', 'add-member', 'ops', 'alice'], { env });
    await json(['group', 'create', 'reviewers', '--user', 'alice'], { env });
    await json(['agent', 'create', 'bot', '--owner', 'admin'], { env });
    await json(['agent', 'acts-for', 'bot', '--add', 'admin'], { env });
    const agent = (await json<{ token: string }>(['token', 'create', '--agent', 'bot'], { env })).token;
    const alice = (await json<{ token: string }>(['token', 'create', '--user', 'alice'], { env })).token;
    const admin = (
      await json<{ token: string }>(
        ['token', 'create', '--user', 'admin', '--scope', 'requests:read', '--scope', 'policy:write'],
        { env },
      )
    ).token;

    const config = { XDG_CONFIG_HOME: await tempDir() };
    await json(['login', '--server', url, '--token-stdin'], { env: config, stdin: alice });
    await json(['logout'], { env: config });

    const asAgent = { GATEHOUSE_URL: url, GATEHOUSE_TOKEN: agent };
    const asAlice = { GATEHOUSE_URL: url, GATEHOUSE_TOKEN: alice };
    await json(['exec', '--', process.execPath, '-e', '0'], { env: asAgent });
    const submit = async () =>
      (
        await callApi<{ request: { id: string } }>({ url }, agent, 'POST', '/v1/requests', {
          action: 'deploy.x',
        })
      ).body.request.id;
    const [first, second, third] = [await submit(), await submit(), await submit()];
    await json(['requests', 'ls'], { env: asAlice });
    await json(['requests', 'show', first], { env: asAlice });
    await json(['requests', 'approve', first], { env: asAlice });
    await json(['requests', 'deny', second, '--comment', 'no'], { env: asAlice });
    await json(['requests', 'cancel', third], { env: asAgent });

    exercised.add('requests watch');
    const stopWatch = new AbortController();
    const watchIo = captureIo({
      env: { GATEHOUSE_URL: url, GATEHOUSE_TOKEN: admin },
      signal: stopWatch.signal,
    });
    const watching = runCli(['requests', 'watch', '--since', '0', '--json'], watchIo);
    await watchIo.waitFor('out', new RegExp(`"subject":"request:${third}"`));
    stopWatch.abort();
    expect(await watching).toBe(0);
    for (const line of watchIo.stdout().trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();

    const asWebhookAdmin = {
      env: {
        GATEHOUSE_URL: url,
        GATEHOUSE_TOKEN: (
          await json<{ token: string }>(['token', 'create', '--user', 'admin', '--scope', 'admin'], { env })
        ).token,
      },
    };
    const receiver = await startWebhookReceiver();
    const { webhook } = await json<{ webhook: { id: string } }>(
      ['webhooks', 'create', receiver.url, '--event', 'webhook.created'],
      asWebhookAdmin,
    );
    await json(['webhooks', 'ls'], asWebhookAdmin);
    await receiver.waitFor(1);
    let deliveries: { id: string }[] = [];
    await vi.waitFor(async () => {
      deliveries = (
        await json<{ deliveries: { id: string }[] }>(['webhooks', 'deliveries', webhook.id], asWebhookAdmin)
      ).deliveries;
      expect(deliveries.length).toBeGreaterThan(0);
    });
    await json(['webhooks', 'redeliver', deliveries[0]?.id ?? ''], asWebhookAdmin);
    await json(['webhooks', 'delete', webhook.id], asWebhookAdmin);
    await receiver.close();

    const policy = path.join(dataDir, 'policy.yaml');
    const tests = path.join(dataDir, 'tests.yaml');
    await writeFile(tests, '- { name: deploys wait, action: deploy.x, expect: require }\n');
    await json(['policy', 'lint', policy]);
    await json(['policy', 'explain', policy, '--action', 'deploy.x']);
    await json(['policy', 'test', policy, tests]);
    await json(['policy', 'apply', policy], { env: { GATEHOUSE_URL: url, GATEHOUSE_TOKEN: admin } });
    await json(['audit', 'verify'], { env });
    await json(['audit', 'export'], { env });

    stop.abort();
    expect(await serving).toBe(0);
    expect(JSON.parse(serveIo.stdout())).toMatchObject({ url });
    // mcp-proxy's stdout carries the MCP protocol itself; packages/mcp-gateway tests it.
    const jsonCommands = COMMANDS.filter((command) => command.name !== 'mcp-proxy');
    expect([...exercised].sort()).toEqual(jsonCommands.map((command) => command.name).sort());
  });
});
