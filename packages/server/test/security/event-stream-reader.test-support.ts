// Reads Server-Sent Events off a response body, one event at a time (imported by *.test.ts only).

/** One event as the server sent it; `data` is the audit record. */
export interface ServerSentEvent {
  readonly id: string;
  readonly event: string;
  // biome-ignore lint/suspicious/noExplicitAny: the record is asserted field by field.
  readonly data: any;
}

/** Reads the events of a stream in order; comments (heartbeats) are skipped. */
export interface EventStreamReader {
  next(): Promise<ServerSentEvent>;
  close(): Promise<void>;
}

/** A reader over `res`'s `text/event-stream` body. */
export function readEventStream(res: Response): EventStreamReader {
  if (res.body === null) throw new Error('the response has no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const fields = new Map(
            block.split('\n').map((line) => {
              const colon = line.indexOf(':');
              return [line.slice(0, colon), line.slice(colon + 1).trimStart()] as const;
            }),
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
    close: () => reader.cancel(),
  };
}
