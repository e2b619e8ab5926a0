import { describe, expect, it } from 'vitest';
import { parseEventBlock } from './sse-client.js';

describe('parseEventBlock', () => {
  it('reads id, event and data', () => {
    expect(parseEventBlock('id: 42\nevent: request.approved\ndata: {"seq":42}')).toEqual({
      id: '42',
      event: 'request.approved',
      data: '{"seq":42}',
    });
  });

  it('joins data lines and keeps colons inside values', () => {
    expect(parseEventBlock('data: a: 1\ndata: b')).toEqual({
      id: undefined,
      event: 'message',
      data: 'a: 1\nb',
    });
  });

  it('skips comments and blocks without data (heartbeats)', () => {
    expect(parseEventBlock(': heartbeat')).toBeUndefined();
    expect(parseEventBlock(': note\nid: 3')).toBeUndefined();
  });
});
