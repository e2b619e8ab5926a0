import { afterAll, beforeAll, it } from 'vitest';
import { type Harness, startHarness, USER_PASSWORD } from './support/gatehouse-harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
}, 60_000);
afterAll(async () => {
  await harness?.close();
});

it('debug sse', async () => {
  const t = Date.now();
  const login = await fetch(`${harness.appUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'mod', password: USER_PASSWORD }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((l) => l.split(';')[0])
    .join('; ');
  console.log('LAP login', Date.now() - t, login.status, cookie.length);
  const controller = new AbortController();
  const events = await fetch(`${harness.appUrl}/v1/events`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  console.log('LAP events', Date.now() - t, events.status, events.headers.get('content-type'));
  const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
  const res = await harness.agent('POST', '/v1/requests', {
    action: 'shell.execute',
    params: { command: 'ls' },
    reason: 'x',
  });
  console.log('LAP submitted', Date.now() - t, res.status);
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        console.log('LAP done', Date.now() - t);
        break;
      }
      console.log('LAP chunk', Date.now() - t, value.slice(0, 120).replace(/\n/g, '\\n'));
    }
  } catch (e) {
    console.log('LAP err', String(e));
  }
  clearTimeout(timer);
}, 60_000);
