import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './sse-reader.js';

function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function readAll(chunks: readonly string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readServerSentEvents(streamOf(chunks))) events.push(event);
  return events;
}

describe('readServerSentEvents', () => {
  it('reads ids, types and data, skipping comments and events without data', async () => {
    const events = await readAll([
      ': heartbeat\n\n',
      'id: 7\nevent: request.created\ndata: {"seq":7}\n\n',
      'id: 8\n\n',
      'data: plain\n\n',
    ]);
    expect(events).toEqual([
      { id: '7', event: 'request.created', data: '{"seq":7}' },
      // The id persists (the last event id), the type does not.
      { id: '8', event: 'message', data: 'plain' },
    ]);
  });

  it('joins data lines and accepts CRLF, LF and CR line ends split across chunks', async () => {
    const events = await readAll([
      'id: 1\r',
      '\nevent: a\r\ndata: one\r',
      '\ndata:two\r\r',
      'data: three\n',
      '\n',
    ]);
    expect(events).toEqual([
      { id: '1', event: 'a', data: 'one\ntwo' },
      { id: '1', event: 'message', data: 'three' },
    ]);
  });

  it('decodes UTF-8 split inside a character, and drops an unfinished event at the end', async () => {
    const bytes = new TextEncoder().encode('data: ✓\n\ndata: cut');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(stream)) events.push(event);
    expect(events).toEqual([{ event: 'message', data: '✓' }]);
  });
});
