import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatehouse, readServerSentEvents, type ServerSentEvent } from '../src/index.js';
import { faultyFetch, startTestGatehouse, type TestGatehouse } from './gatehouse-harness.test-support.js';
import { SDK_TEST_POLICY } from './sdk-policy.test-support.js';

// How the SDK waits for a decision: the live event stream, resumed with Last-Event-ID after a
// drop, and long-polls when the stream is unavailable. Network faults are injected in the
// fetch; every call that goes through reaches the real server.

let server: TestGatehouse;

beforeAll(async () => {
  server = await startTestGatehouse(SDK_TEST_POLICY);
});
afterAll(async () => {
  await server?.close();
});

/** A promise with its resolver. */
function deferred<T = void>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Passes a stream through up to the end of its first complete event (with data), then breaks it. */
function breakAfterFirstEvent(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let buffered = '';
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        buffered += decoder.decode(chunk, { stream: true });
        for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
          const block = buffered.slice(0, end + 2);
          buffered = buffered.slice(end + 2);
          controller.enqueue(encoder.encode(block));
          if (/(^|\n)data:/.test(block)) {
            controller.error(new TypeError('terminated'));
            return;
          }
        }
      },
    }),
  );
}

describe('waiting for a decision', () => {
  it('falls back to long-polls when the event stream is unavailable', async () => {
    const faults = faultyFetch(async ({ path }) =>
      path === '/v1/events' ? new Response('{"status":503}', { status: 503 }) : undefined,
    );
    const gate = createGatehouse({
      url: server.url,
      token: server.tokens.agent,
      fetch: faults.fetch,
      retry: { delayMs: 1 },
    });
    const value = await gate.guard('deploy.production', { ref: 'long-poll' }, () => 'deployed', {
      onPending: (request) => void server.approve(request.id),
    });
    expect(value).toBe('deployed');
    expect(faults.calls.filter((call) => call === 'GET /v1/events')).toHaveLength(1);
    expect(faults.calls.some((call) => /^GET \/v1\/requests\/[^/]+\/wait\?timeout=30$/.test(call))).toBe(
      true,
    );
  });

  it('falls back to long-polls when the event stream cannot be reached', async () => {
    const faults = faultyFetch(async ({ path }) => {
      if (path === '/v1/events') throw new TypeError('fetch failed');
      return undefined;
    });
    const gate = createGatehouse({
      url: server.url,
      token: server.tokens.agent,
      fetch: faults.fetch,
      retry: { delayMs: 1 },
    });
    const value = await gate.guard('deploy.production', { ref: 'no-stream' }, () => 'deployed', {
      onPending: (request) => void server.approve(request.id),
    });
    expect(value).toBe('deployed');
    expect(faults.calls.some((call) => call.includes('/wait?timeout='))).toBe(true);
  });

  it('waits on the event stream alone when it works (no long-polls)', async () => {
    const faults = faultyFetch();
    const gate = createGatehouse({ url: server.url, token: server.tokens.agent, fetch: faults.fetch });
    await gate.guard('deploy.production', { ref: 'stream' }, () => 'deployed', {
      onPending: (request) => void server.approve(request.id),
    });
    expect(faults.calls).toContain('GET /v1/events');
    expect(faults.calls.some((call) => call.includes('/wait'))).toBe(false);
  });

  it('resumes a dropped stream with Last-Event-ID and receives the decision made while it was away', async () => {
    const firstStreamOpen = deferred();
    const reconnecting = deferred<string | null>();
    const approvedMeanwhile = deferred();
    let streams = 0;
    const faults = faultyFetch(async ({ path, index, forward }) => {
      if (path !== '/v1/events') return undefined;
      streams++;
      if (streams === 1) {
        const response = await forward();
        firstStreamOpen.resolve();
        const body = breakAfterFirstEvent(response.body as ReadableStream<Uint8Array>);
        return new Response(body, { status: response.status, headers: response.headers });
      }
      reconnecting.resolve(faults.headers[index]?.get('last-event-id') ?? null);
      // Held until the reviewer has decided: the decision happens while the client is away.
      await approvedMeanwhile.promise;
      return forward();
    });
    const gate = createGatehouse({
      url: server.url,
      token: server.tokens.agent,
      fetch: faults.fetch,
      retry: { delayMs: 1 },
    });
    let pendingId: string | undefined;
    const guarded = gate.guard('deploy.production', { ref: 'resume' }, () => 'deployed', {
      onPending: (request) => {
        pendingId = request.id;
      },
    });

    await firstStreamOpen.promise;
    // Something the agent may see happens on the first stream: another request of its own.
    const other = await server.api<{ request: { id: string } }>(server.tokens.agent, 'POST', '/v1/requests', {
      action: 'files.list',
      params: { dir: '/resume' },
    });
    const lastEventId = await reconnecting.promise;
    const created = (await server.audit('request.created')).find(
      (row) => row.subject === `request:${other.body.request.id}`,
    );
    expect(lastEventId).toBe(String(created?.seq));

    await server.approve(pendingId as string);
    approvedMeanwhile.resolve();
    expect(await guarded).toBe('deployed');
    expect(streams).toBe(2);
    expect(faults.calls.some((call) => call.includes('/wait'))).toBe(false);
  });

  it('waitFor returns a decided request with its grant token', async () => {
    const gate = createGatehouse({ url: server.url, token: server.tokens.agent });
    const { request } = await gate.submit('deploy.production', { ref: 'wait-for' });
    expect(request.status).toBe('pending');
    const waiting = gate.waitFor(request.id);
    await server.approve(request.id);
    const detail = await waiting;
    expect(detail.status).toBe('approved');
    expect(detail.grantToken?.split('.')).toHaveLength(3);
  });
});

describe('readServerSentEvents', () => {
  async function eventsOf(...chunks: string[]): Promise<ServerSentEvent[]> {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(body)) events.push(event);
    return events;
  }

  it('parses ids, types, multi-line data and skips comments', async () => {
    expect(
      await eventsOf(': heartbeat\n\nid: 7\nevent: request.approved\ndata: {"a":1}\ndata: {"b":2}\n\n'),
    ).toEqual([{ id: '7', event: 'request.approved', data: '{"a":1}\n{"b":2}' }]);
  });

  it('handles CRLF and CR line ends split across chunks', async () => {
    expect(await eventsOf('id: 1\r', '\ndata: x\r\n\r', '\nid: 2\rdata: y\r\r')).toEqual([
      { id: '1', event: 'message', data: 'x' },
      { id: '2', event: 'message', data: 'y' },
    ]);
  });

  it('drops events without data and keeps the last id for the next event', async () => {
    expect(await eventsOf('id: 3\nevent: ping\n\ndata: z\n\n')).toEqual([
      { id: '3', event: 'message', data: 'z' },
    ]);
  });
});
