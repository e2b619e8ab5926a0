/** One Server-Sent Event. */
export interface ServerSentEvent {
  /** The `id:` field, when the event had one (the audit `seq` for Gatehouse's events). */
  readonly id?: string;
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  readonly data: string;
}

/**
 * Reads a `text/event-stream` body into events, per the HTML standard's parsing rules: lines
 * end in CRLF, LF or CR; `:` starts a comment (heartbeats); `data:` lines join with newlines;
 * a blank line dispatches; an event without data is not dispatched.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        // A lone CR at the end of a chunk may be the first half of a CRLF: wait for more.
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
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) id = value;
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
