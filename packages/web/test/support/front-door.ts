import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createWebAppRoutes } from '../../../server/src/web/web-app-routes.js';

/** A server in front of Gatehouse: the web app from `distDir`, everything else forwarded. */
export interface FrontDoor {
  readonly url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding'];

/**
 * The upstream body, ending quietly when the upstream goes away (a closed tab's event
 * stream), instead of erroring the response after it started.
 */
function quietBody(body: ReadableStream<Uint8Array> | null): ReadableStream<Uint8Array> | null {
  if (body === null) return null;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch {
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  });
}

async function forward(request: Request, upstream: string): Promise<Response> {
  const incoming = new URL(request.url);
  const headers = new Headers(request.headers);
  for (const name of ['host', 'connection', 'accept-encoding', 'content-length']) headers.delete(name);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let answer: Response;
  try {
    answer = await fetch(new URL(`${incoming.pathname}${incoming.search}`, upstream), {
      method: request.method,
      headers,
      redirect: 'manual',
      signal: request.signal,
      ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
    } as RequestInit);
  } catch (error) {
    // The browser went away first (a closed tab): nobody reads this answer.
    if (request.signal.aborted) return new Response(null, { status: 499 });
    throw error;
  }
  const out = new Headers(answer.headers);
  for (const name of HOP_BY_HOP) out.delete(name);
  return new Response(quietBody(answer.body), {
    status: answer.status,
    statusText: answer.statusText,
    headers: out,
  });
}

/**
 * Mounts the web routes exactly as the composition root should (`app.route('/',
 * createWebAppRoutes({ distDir }))`, after the API) while the server does not do it itself:
 * the web routes answer first, and whatever they pass on goes to the real server unchanged.
 */
export async function openFrontDoor(upstream: string, distDir: string): Promise<FrontDoor> {
  const app = new Hono();
  app.route('/', createWebAppRoutes({ distDir }));
  app.all('*', (c) => forward(c.req.raw, upstream));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
