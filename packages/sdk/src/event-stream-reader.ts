/**
 * One Server-Sent Event.
 * @example for await (const { id, event, data }: ServerSentEvent of readServerSentEvents(body)) handle(id, event, data);
 */
export interface ServerSentEvent {
  /** The `id:` field (Gatehouse sends the audit record's `seq`), when the event carried one. */
  readonly id?: string;
  /** The `event:` field; `message` when absent. */
  readonly event: string;
  readonly data: string;
}

const LINE_END = /\r\n|\r|\n/;

/**
 * Reads a `text/event-stream` body into events, following the HTML standard's parsing rules:
 * lines end in CRLF, LF or CR; a line starting with `:` is a comment (heartbeats); `data:`
 * lines join with newlines; a blank line dispatches; an event without data is dropped.
 *
 * @example for await (const event of readServerSentEvents(response.body)) console.log(event.id, event.event);
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const end = buffer.search(LINE_END);
        // A CR at the very end may be half of a CRLF that the next chunk completes.
        if (end === -1 || (end === buffer.length - 1 && buffer[end] === '\r' && !done)) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        if (line === '') {
          if (data.length > 0)
            yield { ...(id === undefined ? {} : { id }), event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
        else if (field === 'id' && !text.includes('\0')) id = text;
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
