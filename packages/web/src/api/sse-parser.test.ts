import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser.js';

describe('createSseParser', () => {
  it('parses named events with ids and skips comments', () => {
    const parser = createSseParser();
    const events = parser.push(': heartbeat\n\nid: 7\nevent: request.created\ndata: {"seq":7}\n\n');
    expect(events).toEqual([{ id: '7', type: 'request.created', data: '{"seq":7}' }]);
  });

  it('joins data lines and defaults the type to message', () => {
    expect(createSseParser().push('data: a\ndata: b\n\n')).toEqual([{ type: 'message', data: 'a\nb' }]);
  });

  it('completes events split across chunks, CRLF included', () => {
    const parser = createSseParser();
    expect(parser.push('id: 1\r')).toEqual([]);
    expect(parser.push('\nevent: x\r\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\r\n\r\n')).toEqual([{ id: '1', type: 'x', data: '{"a":1}' }]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(createSseParser().push('event: ping\n\n')).toEqual([]);
  });
});
