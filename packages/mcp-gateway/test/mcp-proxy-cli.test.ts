import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../../sdk/test/gatehouse-harness.test-support.js';
import { MCP_PROXY_EXIT, mcpProxyCommand, parseDuration, runMcpProxyCli } from '../src/index.js';

// `gatehouse mcp-proxy` run in process: its command line, and a real proxy over Streamable
// HTTP in front of the real filesystem server, deciding with a real Gatehouse.

const FILESYSTEM_SERVER = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);

let server: TestGatehouse;
let root: string;

beforeAll(async () => {
  server = await startTestGatehouse(`version: 1
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 10m }
rules:
  - name: no-writes
    match: { action: "mcp.files.write_file" }
    deny: "This proxy is read-only"
`);
  root = await mkdtemp(path.join(tmpdir(), 'gatehouse-proxy-'));
  await writeFile(path.join(root, 'notes.txt'), 'proxy notes');
});
afterAll(async () => {
  await server?.close();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

function captured() {
  const written = { out: '', err: '' };
  let onOut: (text: string) => void = () => {};
  return {
    written,
    io: {
      out: (text: string) => {
        written.out += text;
        onOut(written.out);
      },
      err: (text: string) => {
        written.err += text;
      },
    },
    /** Resolves with standard output once it has a line. */
    firstLine: () =>
      new Promise<string>((resolve) => {
        onOut = (all) => {
          if (all.includes('\n')) resolve(all.split('\n')[0] as string);
        };
      }),
  };
}

describe('gatehouse mcp-proxy', () => {
  it('refuses a command line without a name, credentials or an upstream (exit 2)', async () => {
    const env = { GATEHOUSE_URL: server.url, GATEHOUSE_TOKEN: server.tokens.agent };
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--', 'node', FILESYSTEM_SERVER, root], env, /--name <server> is required/],
      [['--name', 'bad.name', '--', 'node'], env, /--name <server> is required/],
      [['--name', 'files'], env, /-- <command> \[args…\] or as --upstream-url/],
      [['--name', 'files', '--', 'node'], { GATEHOUSE_URL: server.url }, /set GATEHOUSE_TOKEN/],
      [['--name', 'files', '--timeout', 'soon', '--', 'node'], env, /--timeout: expected a duration/],
      [['--name', 'files', '--bogus', '--', 'node'], env, /bogus/],
    ];
    for (const [argv, caseEnv, message] of cases) {
      const { io, written } = captured();
      expect(await runMcpProxyCli(argv, { ...io, env: caseEnv })).toBe(MCP_PROXY_EXIT.usage);
      expect(written.err).toMatch(message);
      expect(written.out).toBe('');
    }
  });

  it('says when the upstream server cannot be started (exit 4)', async () => {
    const { io, written } = captured();
    const env = {
      GATEHOUSE_URL: server.url,
      GATEHOUSE_TOKEN: server.tokens.agent,
      PATH: process.env.PATH ?? '',
    };
    const code = await runMcpProxyCli(['--name', 'files', '--', path.join(root, 'no-such-server')], {
      ...io,
      env,
    });
    expect(code).toBe(MCP_PROXY_EXIT.unreachable);
    expect(written.err).toMatch(/could not be started or reached/);
  });

  it('serves the gated tools over HTTP until stopped, and the token never reaches the upstream', async () => {
    const { io, firstLine, written } = captured();
    const stop = new AbortController();
    const env = {
      GATEHOUSE_URL: server.url,
      GATEHOUSE_TOKEN: server.tokens.agent,
      PATH: process.env.PATH ?? '',
    };
    // The upstream records the environment it was given, then becomes the filesystem server.
    const recorder = path.join(root, 'record-env.mjs');
    const recorded = path.join(root, 'upstream-env.json');
    await writeFile(
      recorder,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(recorded)}, JSON.stringify(process.env));\nawait import(${JSON.stringify(pathToFileURL(FILESYSTEM_SERVER).href)});\n`,
    );
    const running = runMcpProxyCli(
      ['--name', 'files', '--http', '0', '--timeout', '30s', '--', process.execPath, recorder, root],
      {
        ...io,
        env,
        signal: stop.signal,
      },
    );
    const url = await firstLine();
    const client = new Client({ name: 'proxy-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    const read = (await client.callTool({
      name: 'read_text_file',
      arguments: { path: path.join(root, 'notes.txt') },
    })) as CallToolResult;
    expect(read.content[0]).toEqual({ type: 'text', text: 'proxy notes' });
    const write = (await client.callTool({
      name: 'write_file',
      arguments: { path: path.join(root, 'new.txt'), content: 'x' },
    })) as CallToolResult;
    expect(write.isError).toBe(true);
    expect(JSON.stringify(write.content)).toContain('This proxy is read-only');
    await client.close();
    stop.abort();
    expect(await running).toBe(MCP_PROXY_EXIT.ok);
    expect(written.err).not.toContain(server.tokens.agent);
    const upstreamEnv = JSON.parse(await readFile(recorded, 'utf8')) as Record<string, string>;
    expect(upstreamEnv.GATEHOUSE_URL).toBe(server.url);
    expect(upstreamEnv.GATEHOUSE_TOKEN).toBeUndefined();
    expect(JSON.stringify(upstreamEnv)).not.toContain(server.tokens.agent);
  }, 60_000);

  it('is shaped as a CLI command named mcp-proxy', () => {
    expect(mcpProxyCommand.name).toBe('mcp-proxy');
    expect(mcpProxyCommand.help).toMatch(/^Usage: gatehouse mcp-proxy --name <server>/);
  });
});

describe('parseDuration', () => {
  it('reads 10m, 90s, 1h30m and 500ms, and nothing else', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('ten minutes')).toBeUndefined();
  });
});
