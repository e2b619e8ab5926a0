import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { captureIo, cleanUp, hostEnv, tempDir } from '../cli-harness.test-support.js';

afterAll(cleanUp);

/** `gatehouse serve` in the background, stopped by aborting its signal. */
function serve(args: readonly string[], env: Record<string, string | undefined>) {
  const stop = new AbortController();
  const io = captureIo({ env, signal: stop.signal });
  const exited = runCli(['serve', ...args], io);
  return { io, exited, stop: () => stop.abort() };
}

describe('gatehouse serve', () => {
  it('prints where it listens and the first admin’s password once, and stops on a signal', async () => {
    const { GATEHOUSE_BOOTSTRAP_PASSWORD: _fixed, ...env } = hostEnv(await tempDir());
    const first = serve(['--port', '0', '--host', '127.0.0.1'], env);
    const [, url] = await first.io.waitFor('out', /^Gatehouse listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(first.io.stdout()).toMatch(/one-time password:\s+\S{24}/);
    first.stop();
    expect(await first.exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // The admin exists now: the second start shows no password.
    const second = serve(['--port', '0'], env);
    await second.io.waitFor('out', /^Gatehouse listening on /);
    expect(second.io.stdout()).not.toMatch(/password/);
    second.stop();
    expect(await second.exited).toBe(0);
  });

  it('--json prints one document, and the options override the environment', async () => {
    const dataDir = await tempDir();
    const env = { ...hostEnv(await tempDir()), GATEHOUSE_PORT: '1' };
    const run = serve(['--port', '0', '--data-dir', dataDir, '--json'], env);
    const [document] = await run.io.waitFor('out', /^\{[\s\S]*\}\n/);
    const started = JSON.parse(document) as { url: string; port: number; firstAdmin?: unknown };
    expect(started.url).toBe(`http://127.0.0.1:${started.port}`);
    expect(started).not.toHaveProperty('firstAdmin');
    expect((await fetch(`${started.url}/readyz`)).status).toBe(200);
    run.stop();
    expect(await run.exited).toBe(0);
    expect(run.io.stdout()).toBe(document);
  });

  it('exits 2 on bad configuration', async () => {
    const io = captureIo({ env: { ...hostEnv(await tempDir()), GATEHOUSE_LOG_LEVEL: 'chatty' } });
    expect(await runCli(['serve'], io)).toBe(2);
    expect(io.stderr()).toMatch(/GATEHOUSE_LOG_LEVEL: expected one of/);
  });
});
