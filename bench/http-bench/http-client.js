/**
 * The load driver's HTTP client: node:http only, keep-alive sockets from an Agent, the whole
 * answer read as text. Nothing here retries or times out on its own: a benchmark that hides a
 * failure behind a retry measures the wrong thing.
 */

import http from 'node:http';

/** The pool every load phase shares: keep-alive, at most 32 sockets (one per client). */
export function createKeepAliveAgent(maxSockets = 32) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/**
 * One request to `origin` (`{ host, port }`); resolves with the status and the body text once the
 * answer has been read to the end. `json` is serialised as the body.
 * @example await sendRequest(agent, origin, { method: 'POST', path: '/v1/requests', token, json: { action: 'bench.read' } })
 */
export function sendRequest(agent, origin, { method = 'GET', path, token, json, headers = {} }) {
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: origin.host,
        port: origin.port,
        method,
        path,
        headers: {
          ...headers,
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The body as JSON, or a clear error naming the status and the start of the text. */
export function parseJsonBody(answer) {
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new Error(`HTTP ${answer.status}: not JSON: ${answer.body.slice(0, 200)}`);
  }
}
