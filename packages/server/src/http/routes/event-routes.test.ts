import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventHub } from '../../events/event-hub.js';
import { ENGINES } from '../../storage/storage-test-engines.test-support.js';
import { createHttpApp } from '../http-app.js';
import { createTestApp, TEST_POLICY, type TestApp } from '../http-test-app.test-support.js';

interface ServerSentEvent {
  readonly id: string;
  readonly event: string;
  // biome-ignore lint/suspicious/noExplicitAny: the record is asserted field by field.
  readonly data: any;
}

/** Reads server-sent events off a response body, one at a time. */
function eventReader(res: Response) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<ServerSentEvent> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const fields = new Map(
            block
              .split('\n')
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          );
          return {
            id: fields.get('id') ?? '',
            event: fields.get('event') ?? '',
            data: JSON.parse(fields.get('data') ?? 'null'),
          };
        }
        const { done, value } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async take(count: number): Promise<ServerSentEvent[]> {
      const events: ServerSentEvent[] = [];
      while (events.length < count) events.push(await this.next());
      return events;
    },
    close: () => reader.cancel(),
  };
}

for (const engine of ENGINES) {
  describe(`GET /v1/events on ${engine}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(engine);
    });
    afterAll(async () => {
      await t.dispose();
    });

    const open = async (as: string, lastEventId?: number) => {
      const res = await t.call('GET', '/v1/events', {
        as,
        ...(lastEventId === undefined ? {} : { headers: { 'Last-Event-ID': String(lastEventId) } }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      return eventReader(res);
    };
    const submit = async (as: string, action: string) => {
      const params = action === 'shell.execute' ? { command: 'ls' } : {};
      const res = await t.call('POST', '/v1/requests', { as, body: { action, params } });
      return ((await res.json()) as { request: { id: string } }).request.id;
    };
    const head = async () => (await t.audit()).at(-1)?.seq ?? 0;

    it('streams each new record as an event: id is its seq, event its type, data the record', async () => {
      const stream = await open('admin');
      const id = await submit('ci-bot', 'deploy.production');
      const event = await stream.next();
      expect(event.event).toBe('request.created');
      expect(event.data).toMatchObject({
        type: 'request.created',
        subject: `request:${id}`,
        actor: 'agent:ci-bot',
      });
      expect(event.id).toBe(String(event.data.seq));
      await stream.close();
    });

    it('resumes after Last-Event-ID with exactly the missed records, then live ones without duplicates', async () => {
      const from = await head();
      await submit('ci-bot', 'deploy.production');
      await submit('ci-bot', 'shell.execute');
      await t.signIn('alice'); // audited by identity, never published to the hub
      const missed = (await t.audit())
        .filter((record) => record.seq > from)
        .map((record) => String(record.seq));
      expect(missed.length).toBeGreaterThanOrEqual(5);

      const stream = await open('admin', from);
      expect((await stream.take(missed.length)).map((event) => event.id)).toEqual(missed);
      await submit('ci-bot', 'deploy.staging');
      const live = await stream.next();
      expect(live.id).toBe(String(Number(missed.at(-1)) + 1));
      await stream.close();
    });

    it('shows a user only the requests they may see, and no one else’s auth events', async () => {
      const stream = await open('bob');
      await submit('ci-bot', 'deploy.production'); // alice's agent: not bob's to see
      await t.signIn('alice');
      const own = await submit('bob', 'deploy.staging');
      const event = await stream.next();
      expect(event.data.subject).toBe(`request:${own}`);
      await stream.close();
    });

    it('shows a moderator policy changes (filling the gap from storage) but not logins', async () => {
      const stream = await open('mod');
      const applied = await t.call('PUT', '/v1/policy', {
        as: 'admin',
        body: { source: `${TEST_POLICY}\n# ${engine} revision\n` },
      });
      expect(applied.status).toBe(200);
      await t.signIn('alice');
      await submit('ci-bot', 'deploy.production');
      const events = await stream.take(2);
      expect(events.map((event) => event.event)).toEqual(['policy.applied', 'request.created']);
      await stream.close();
    });

    it('sends heartbeats while idle and catches up, at each, records the hub never carried', async () => {
      const app = createHttpApp({ ...t.context, heartbeatMs: 5 });
      const res = await app.request('/v1/events', { headers: { authorization: `Bearer ${t.tokens.admin}` } });
      const raw = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes(': heartbeat'))
        text += decoder.decode((await raw.read()).value, { stream: true });
      await t.signIn('mod'); // audited by identity, not published: only the heartbeat's catch-up finds it
      while (!text.includes('event: auth.login.succeeded')) {
        text += decoder.decode((await raw.read()).value, { stream: true });
      }
      expect(text).toContain('"actor":"user:mod"');
      await raw.cancel();
    });

    it('refuses a Last-Event-ID that is not an event id, naming the header', async () => {
      const res = await t.call('GET', '/v1/events', { as: 'admin', headers: { 'Last-Event-ID': 'abc' } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('last-event-id');
    });

    it('stops listening when the client disconnects', async () => {
      let listening = 0;
      let unsubscribed: () => void = () => {};
      const gone = new Promise<void>((resolve) => {
        unsubscribed = resolve;
      });
      const hub = t.context.events;
      const counting: EventHub = {
        ...hub,
        subscribe(listener) {
          listening += 1;
          const stop = hub.subscribe(listener);
          return () => {
            listening -= 1;
            unsubscribed();
            return stop();
          };
        },
      };
      const app = createHttpApp({ ...t.context, events: counting });
      const res = await app.request('/v1/events', { headers: { authorization: `Bearer ${t.tokens.admin}` } });
      const stream = eventReader(res);
      await submit('ci-bot', 'deploy.production');
      expect((await stream.next()).event).toBe('request.created');
      expect(listening).toBe(1);
      await stream.close();
      await gone;
      expect(listening).toBe(0);
    });
  });
}
