import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A real HTTP webhook receiver on 127.0.0.1 for the webhook tests (imported by *.test.ts only).

/** One request the receiver got. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A running receiver: its URL, what it received, the status it answers with, and how to stop it. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  status: number;
  /** Resolves once `count` requests have arrived in all. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver on an ephemeral loopback port, answering `status` (200 unless changed). */
export async function startWebhookReceiver(path = '/hooks/gatehouse'): Promise<WebhookReceiver> {
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver = {
    url: '',
    received: [] as ReceivedWebhook[],
    status: 200,
    waitFor: (count: number) =>
      receiver.received.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    receiver.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
    response.writeHead(receiver.status, { 'content-type': 'text/plain' }).end('ok');
    for (const waiter of waiters.filter((w) => receiver.received.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
