/**
 * The machine's HTTP ceiling: a bare node:http server in this process that reads a small JSON
 * POST, parses it and answers a small JSON object — no routing, validation, auth or storage.
 * Driven by the same driver as the Gatehouse phases, it shows what loopback HTTP alone costs
 * on this machine with the driver sharing the process.
 */

import http from 'node:http';
import { sendRequest } from './http-client.js';

/** Starts the bare server on 127.0.0.1, port 0. */
export async function startCeilingServer() {
  let sequence = 0;
  const server = http.createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const submitted = JSON.parse(text);
      const body = JSON.stringify({ id: ++sequence, action: submitted.action, status: 'approved' });
      response.writeHead(201, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    origin: { host: '127.0.0.1', port: typeof address === 'object' && address !== null ? address.port : 0 },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The driver's request to the bare server: the same small JSON POST an agent sends. */
export function ceilingRequest(agent, origin) {
  return async (index) => {
    const answer = await sendRequest(agent, origin, {
      method: 'POST',
      path: '/v1/requests',
      json: { action: 'bench.read', params: { path: `/srv/bench/${index}` } },
    });
    if (answer.status !== 201) throw new Error(`ceiling: HTTP ${answer.status}`);
    JSON.parse(answer.body);
  };
}
