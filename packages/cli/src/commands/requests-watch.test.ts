import { loadServerConfig, startGatehouse } from '@gatehouse/server';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import {
  apiEnv,
  captureIo,
  cleanUp,
  cli,
  issueToken,
  jsonOf,
  startTestGatehouse,
} from '../cli-harness.test-support.js';

afterAll(cleanUp);

describe('gatehouse requests watch', () => {
  it('resumes with Last-Event-ID after the connection drops: every event once, none missed', async () => {
    const gatehouse = await startTestGatehouse();
    const adminToken = await issueToken(
      gatehouse,
      '--user',
      'admin',
      '--scope',
      'requests:read',
      '--scope',
      'admin',
    );
    const head = jsonOf<{ head: { seq: number } }>(
      await cli(['audit', 'verify', '--json'], { env: gatehouse.hostEnv }),
    ).head.seq;

    const stop = new AbortController();
    const io = captureIo({ env: apiEnv(gatehouse, adminToken), signal: stop.signal });
    const watching = runCli(['requests', 'watch', '--since', '0', '--json'], io);
    await io.waitFor('out', new RegExp(`"seq":${head},`));

    // The server goes away; while it is down, something happens on the host.
    await gatehouse.close();
    await io.waitFor('err', /the event stream ended; reconnecting/);
    expect((await cli(['user', 'create', 'zed'], { env: gatehouse.hostEnv })).code).toBe(0);

    // Back on the same port: the watch reconnects and gets what it missed.
    const restarted = await startGatehouse(
      loadServerConfig({ ...gatehouse.hostEnv, GATEHOUSE_PORT: String(gatehouse.port) }),
    );
    try {
      await io.waitFor('out', /"subject":"user:zed"/);
      expect(io.stderr()).toContain(`reconnected, resuming after event ${head}`);
    } finally {
      stop.abort();
      await restarted.close();
    }
    expect(await watching).toBe(0);
    const seqs = io
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  });

  it('exits 4 when the server cannot be reached at all, and 5 for a token it refuses', async () => {
    const gatehouse = await startTestGatehouse();
    const refused = await cli(['requests', 'watch'], { env: apiEnv(gatehouse, 'gh_aaaaaaaaaaaa_nope') });
    expect(refused.code).toBe(5);
    await gatehouse.close();
    const down = await cli(['requests', 'watch'], { env: apiEnv(gatehouse, 'gh_aaaaaaaaaaaa_nope') });
    expect(down.code).toBe(4);
  });
});
