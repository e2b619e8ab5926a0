/** One Server-Sent Event. */
export interface ServerSentEvent {
  /** The `id:` field, when the event had one. */
  readonly id?: string;
  /** The `event:` field; `message` when absent. */
  readonly type: string;
  readonly data: string;
}

/** Feeds text as it arrives; yields every event completed by it. */
export interface SseParser {
  push(text: string): ServerSentEvent[];
}

/**
 * An incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6): fields
 * `id`, `event`, `data` (lines joined by newlines), comments ignored, CRLF/CR/LF line ends,
 * and an event dispatched on each blank line.
 */
export function createSseParser(): SseParser {
  let buffer = '';
  let id: string | undefined;
  let type = '';
  let data: string[] = [];

  function line(text: string, out: ServerSentEvent[]): void {
    if (text === '') {
      if (data.length > 0) {
        out.push({
          ...(id === undefined ? {} : { id }),
          type: type === '' ? 'message' : type,
          data: data.join('\n'),
        });
      }
      id = undefined;
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  }

  return {
    push(text) {
      buffer += text;
      const out: ServerSentEvent[] = [];
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (match === null) break;
        // A lone CR at the very end may be the first half of CRLF: wait for more.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        line(buffer.slice(0, match.index), out);
        buffer = buffer.slice(match.index + match[0].length);
      }
      return out;
    },
  };
}
