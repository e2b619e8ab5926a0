import type { AuditRecord } from '@gatehouse/core';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AuthenticatedPrincipal } from '../identity/authenticated-principal.js';
import { getAuditHead, streamAuditEvents } from '../storage/audit-dal.js';
import { createEventFilter } from './event-visibility.js';
import type { HttpContext, HttpEnv } from './http-context.js';

/** How often an idle stream sends a comment, so proxies do not cut it and dead clients are found. */
export const HEARTBEAT_MS = 15_000;

/**
 * Live records buffered for a client that does not read. Past this the stream ends; the
 * client reconnects with Last-Event-ID and catches up from storage, which costs no memory.
 */
export const MAX_BUFFERED_EVENTS = 10_000;

const REPLAY_BATCH = 500;

/** Audit record types that can change what a viewer may see, or whether they may see anything. */
const IDENTITY_EVENT = /^(token|agent|user|admin|team|group|policy\.applied|auth\.logout|session)\b/;

/**
 * The live event stream of one viewer: every audit record they may see, in `seq` order, each
 * once. Without `lastEventId` it starts at the audit head as of the response; with it, it
 * first replays the stored records after it. The order of work makes it gapless: subscribe
 * to the hub (buffering), read the position, then replay from storage and drain the buffer,
 * skipping what was already sent. Records the hub never saw (appended without publishing, or
 * by another node) are read from storage when a later record shows a gap, and at every
 * heartbeat. Ends when the client goes away.
 */
export async function eventStream(
  c: Context<HttpEnv>,
  context: HttpContext,
  viewer: AuthenticatedPrincipal,
  lastEventId: number | undefined,
  /** Re-checks the caller's credentials at every heartbeat: a revoked token or a demoted user stops seeing what it no longer may. */
  reauthenticate?: () => Promise<AuthenticatedPrincipal>,
): Promise<Response> {
  const pending: AuditRecord[] = [];
  let notify = () => {};
  const unsubscribe = context.events.subscribe((record) => {
    pending.push(record);
    notify();
  });
  let last: number;
  try {
    // Read before the response leaves: whatever the client does once connected comes after it.
    last = lastEventId ?? (await getAuditHead(context.db))?.seq ?? 0;
  } catch (error) {
    unsubscribe();
    throw error;
  }

  return streamSSE(c, async (stream) => {
    let visible = createEventFilter(context, viewer);
    let beat = false;
    let closed = false;
    let wake: (() => void) | undefined;
    notify = () => {
      if (pending.length > MAX_BUFFERED_EVENTS) closed = true;
      const resume = wake;
      wake = undefined;
      resume?.();
    };
    const close = () => {
      closed = true;
      notify();
    };
    stream.onAbort(close);
    const signal = c.req.raw.signal;
    signal.addEventListener('abort', close, { once: true });
    const heartbeat = setInterval(() => {
      beat = true;
      notify();
    }, context.heartbeatMs ?? HEARTBEAT_MS);

    const send = async (record: AuditRecord) => {
      if (closed) return;
      // A change to who the viewer is (a revoked token, a disabled or demoted user) takes effect
      // before the next record: it comes first in `seq` order.
      if (reauthenticate !== undefined && IDENTITY_EVENT.test(record.type)) {
        const current = await reauthenticate().catch(() => undefined);
        if (current === undefined) {
          closed = true;
          return;
        }
        visible = createEventFilter(context, current);
      }
      if (await visible(record)) {
        await stream.writeSSE({ id: String(record.seq), event: record.type, data: JSON.stringify(record) });
      }
      last = record.seq;
    };
    /** Sends the stored records after `last`, up to `upTo`. */
    const replay = async (upTo = Number.POSITIVE_INFINITY) => {
      for await (const record of streamAuditEvents(last + 1, REPLAY_BATCH, context.db)) {
        if (closed || record.seq > upTo) return;
        await send(record as AuditRecord);
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
          if (reauthenticate !== undefined) {
            const current = await reauthenticate().catch(() => undefined);
            if (current === undefined) break;
            visible = createEventFilter(context, current);
          }
          await stream.write(': heartbeat\n\n');
          await replay();
        }
        for (const record of pending.splice(0)) {
          if (closed) break;
          if (record.seq <= last) continue;
          if (record.seq > last + 1) await replay(record.seq - 1);
          if (record.seq > last) await send(record);
        }
      }
    } finally {
      unsubscribe();
      clearInterval(heartbeat);
      signal.removeEventListener('abort', close);
    }
  });
}
