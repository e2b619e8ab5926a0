import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './webhook-target-guard.js';

/** How one POST ended: a 2xx answer, another status, or no answer (the error says why). */
export interface SendOutcome {
  readonly ok: boolean;
  readonly status?: number;
  readonly error?: string;
}

/** What one POST takes: a checked target, the exact body and headers, and the time allowed. */
export interface WebhookRequest {
  readonly url: URL;
  /** The addresses the target guard checked: the connection goes to one of these, no new lookup. */
  readonly addresses: readonly ResolvedAddress[];
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** Response bodies are read only to free the socket; nothing of them is kept. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a webhook with node:http(s), connecting only to the pre-checked addresses (so a DNS answer
 * that changes between check and connect cannot redirect it inside), following no redirects, and
 * giving up after `timeoutMs` for the whole exchange. Never throws.
 */
export function postWebhook(request: WebhookRequest): Promise<SendOutcome> {
  const transport = request.url.protocol === 'https:' ? https : http;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const first = request.addresses[0];
    if (first === undefined) {
      callback(new Error('no checked address'), '', 4);
      return;
    }
    if (options.all)
      callback(
        null,
        request.addresses.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, first.address, first.family);
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(Object.freeze(outcome));
    };
    const outgoing = transport.request(
      request.url,
      {
        method: 'POST',
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(request.body)),
          'user-agent': 'Gatehouse-Webhooks/1',
        },
        lookup: pinned,
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const status = response.statusCode ?? 0;
        const done = () =>
          finish(
            status >= 200 && status < 300
              ? { ok: true, status }
              : { ok: false, status, error: `HTTP ${status}` },
          );
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, error: `no answer within ${request.timeoutMs} ms` });
      outgoing.destroy();
    }, request.timeoutMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, error: `connection failed (${error.code ?? 'error'})` });
    });
    outgoing.end(request.body);
  });
}
