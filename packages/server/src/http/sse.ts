import type { AuditRecord } from '@gatehouse/core';
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import { getAuditHead, streamAuditEvents } from '../storage/audit-dal.js';
import { createEventFilter } from './event-visibility.js';
import type { HttpContext, HttpEnv } from './http-context.js';

/** How often an idle stream sends a comment, so proxies do not cut it and dead clients are found. */
export const HEARTBEAT_MS = 15_000;

const REPLAY_BATCH = 500;

/**
 * The live event stream of one viewer: every audit record they may see, in `seq` order, each
 * once. With `lastEventId` it first replays the stored records after it. The order of work
 * is what makes it gapless: subscribe to the hub first (buffering), read the position, replay
 * from storage, then drain the buffer, skipping what was already sent. Records the hub never
 * saw (appended without publishing, or by another node) are read from storage whenever a
 * later record shows a gap, and at every heartbeat. Ends when the client goes away.
 */
export function eventStream(
  c: Context<HttpEnv>,
  context: HttpContext,
  viewer: AuthenticatedPrincipal,
  lastEventId: number | undefined,
): Response {
  return streamSSE(c, async (stream) => {
    const visible = createEventFilter(context, viewer);
    const pending: AuditRecord[] = [];
    let beat = false;
    let closed = false;
    let wake: (() => void) | undefined;
    const notify = () => {
      const resume = wake;
      wake = undefined;
      resume?.();
    };
    const close = () => {
      closed = true;
      notify();
    };
    const unsubscribe = context.events.subscribe((record) => {
      pending.push(record);
      notify();
    });
    stream.onAbort(close);
    const signal = c.req.raw.signal;
    signal.addEventListener('abort', close, { once: true });
    const heartbeat = setInterval(() => {
      beat = true;
      notify();
    }, context.heartbeatMs ?? HEARTBEAT_MS);

    const send = async (target: SSEStreamingApi, record: AuditRecord) => {
      if (!(await visible(record))) return;
      await target.writeSSE({ id: String(record.seq), event: record.type, data: JSON.stringify(record) });
    };
    let last = lastEventId ?? (await getAuditHead(context.db))?.seq ?? 0;
    /** Sends the stored records after `last` (up to `upTo`) and moves `last` past them. */
    const replay = async (upTo = Number.POSITIVE_INFINITY) => {
      for await (const record of streamAuditEvents(last + 1, REPLAY_BATCH, context.db)) {
        if (closed || record.seq > upTo) return;
        await send(stream, record as AuditRecord);
        last = record.seq;
      }
    };

    try {
      if (signal.aborted) return;
      await replay();
      while (!closed) {
        if (pending.length === 0 && !beat) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        if (beat) {
          beat = false;
          await stream.write(': heartbeat\n\n');
          await replay();
        }
        for (const record of pending.splice(0)) {
          if (closed) break;
          if (record.seq <= last) continue;
          if (record.seq > last + 1) await replay(record.seq - 1);
          if (record.seq <= last) continue;
          await send(stream, record);
          last = record.seq;
        }
      }
    } finally {
      unsubscribe();
      clearInterval(heartbeat);
      signal.removeEventListener('abort', close);
    }
  });
}
