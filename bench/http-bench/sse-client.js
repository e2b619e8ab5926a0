/**
 * A minimal Server-Sent Events reader over node:http for the notification phase: one GET on a
 * connection of its own, events parsed as they arrive and handed to `onEvent` with the time the
 * chunk that completed them was read.
 */

import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * One event block (the text between blank lines) as `{ id, event, data }`, data lines joined
 * with \n; undefined for a block without data (a comment, a heartbeat).
 * @example parseEventBlock('id: 7\nevent: request.approved\ndata: {}') // { id: '7', event: 'request.approved', data: '{}' }
 */
export function parseEventBlock(block) {
  const event = { id: undefined, event: 'message', data: '' };
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
  }
  event.data = data.join('\n');
  return data.length === 0 ? undefined : event;
}

/**
 * Opens the stream; resolves once the response headers arrived (the server has subscribed to
 * its hub by then). `onEvent({ id, event, data }, receivedAt)` runs for every event.
 * @returns {Promise<{ close(): void }>}
 */
export function openEventStream(origin, { path, token, onEvent }) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent: false,
        host: origin.host,
        port: origin.port,
        path,
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`event stream: HTTP ${response.statusCode}`));
          response.resume();
          return;
        }
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          const receivedAt = performance.now();
          buffer += chunk.replace(/\r\n?/g, '\n');
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const parsed = parseEventBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (parsed !== undefined) onEvent(parsed, receivedAt);
            end = buffer.indexOf('\n\n');
          }
        });
        response.on('error', () => {});
        resolve({ close: () => request.destroy() });
      },
    );
    request.on('error', reject);
    request.end();
  });
}
