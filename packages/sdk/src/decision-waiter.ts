import { abortableDelay, anySignal } from './abortable-delay.js';
import type { RequestDetail } from './api-types.js';
import { readServerSentEvents } from './event-stream-reader.js';
import { type DenialDetails, GatehouseDenial, GatehouseUnavailable } from './gatehouse-denial.js';
import type { HttpTransport } from './http-transport.js';

/** How a wait for a decision is bounded. */
export interface DecisionWaitOptions {
  /** Give up after this many milliseconds (a `GatehouseUnavailable` with reason `timeout`). */
  readonly timeoutMs?: number;
  /** Abort the wait; it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** The action waited for, named in denials. */
  readonly about?: DenialDetails;
}

/** Seconds one long-poll asks the server to hold the request (the API allows up to 60). */
const LONG_POLL_SECONDS = 30;
/** Connection attempts in a row that may fail before the event stream is given up for long-polls. */
const MAX_STREAM_FAILURES = 3;
/** The longest delay a timer can wait. */
const MAX_TIMER_MS = 2_147_483_647;
/** The server sends a comment every 15 s; a stream silent for three of them is dead. */
const STREAM_IDLE_MS = 45_000;

function detailPath(id: string): string {
  return `/v1/requests/${encodeURIComponent(id)}`;
}

function getDetail(http: HttpTransport, id: string, signal: AbortSignal, about: DenialDetails) {
  return http.call<RequestDetail>({ method: 'GET', path: detailPath(id), signal, retry: true, about });
}

/** True when a stream event is a `request.*` record about request `id` (a state change worth a look). */
function concernsRequest(data: string, id: string): boolean {
  try {
    const record = JSON.parse(data) as { subject?: unknown; type?: unknown };
    return (
      record.subject === `request:${id}` &&
      typeof record.type === 'string' &&
      record.type.startsWith('request.')
    );
  } catch {
    return false;
  }
}

/** The body, aborting `connection` when no bytes (not even a heartbeat) arrive for `idleMs`. */
function watchIdle(body: ReadableStream<Uint8Array>, connection: AbortController, idleMs: number) {
  let timer = setTimeout(() => connection.abort(), idleMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => connection.abort(), idleMs);
  };
  const stop = () => clearTimeout(timer);
  connection.signal.addEventListener('abort', stop, { once: true });
  const watched = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        touch();
        controller.enqueue(chunk);
      },
      flush: stop,
    }),
    { signal: connection.signal },
  );
  return { body: watched, stop };
}

/**
 * Waits on the live event stream (`GET /v1/events`), reconnecting with `Last-Event-ID` after
 * a drop, and re-reads the request whenever a `request.*` record about it arrives. Returns
 * undefined when the stream cannot be used, so the caller falls back to long-polling.
 */
async function waitViaEvents(
  http: HttpTransport,
  id: string,
  signal: AbortSignal,
  about: DenialDetails,
): Promise<RequestDetail | undefined> {
  let lastEventId: string | undefined;
  let failures = 0;
  for (;;) {
    const connection = new AbortController();
    const connectionSignal = anySignal([signal, connection.signal]);
    let response: Response;
    try {
      const resume: Record<string, string> =
        lastEventId === undefined ? {} : { 'last-event-id': lastEventId };
      response = await http.open('/v1/events', { accept: 'text/event-stream', ...resume }, connectionSignal);
    } catch (error) {
      if (signal.aborted || !(error instanceof GatehouseUnavailable)) throw error;
      failures++;
      if (failures >= MAX_STREAM_FAILURES) return undefined;
      await abortableDelay(http.backoff(failures), signal);
      continue;
    }
    const isStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    if (!response.ok || !isStream || response.body === null) {
      await response.body?.cancel().catch(() => {});
      return undefined;
    }
    const watched = watchIdle(response.body, connection, STREAM_IDLE_MS);
    try {
      // Without Last-Event-ID the stream starts at the head as the response left: a decision made
      // before that is not in it, but the request already shows it.
      if (lastEventId === undefined) {
        const detail = await getDetail(http, id, signal, about);
        if (detail.status !== 'pending') return detail;
      }
      for await (const event of readServerSentEvents(watched.body)) {
        if (event.id !== undefined) lastEventId = event.id;
        failures = 0;
        if (!concernsRequest(event.data, id)) continue;
        const detail = await getDetail(http, id, signal, about);
        if (detail.status !== 'pending') return detail;
      }
    } catch (error) {
      // A dropped or idle stream reconnects; our abort or an answer about the request ends the wait.
      if (signal.aborted || error instanceof GatehouseDenial) throw error;
    } finally {
      watched.stop();
      connection.abort();
    }
    // Drops with no event since the last one count as failures, so a server that keeps
    // dropping streams sends us to long-polls instead of into a reconnect loop.
    failures++;
    if (failures >= MAX_STREAM_FAILURES) return undefined;
    await abortableDelay(http.backoff(failures), signal);
  }
}

/** Long-polls `GET /v1/requests/{id}/wait` until the request is decided. */
async function waitViaLongPoll(
  http: HttpTransport,
  id: string,
  signal: AbortSignal,
  about: DenialDetails,
): Promise<RequestDetail> {
  for (;;) {
    const detail = await http.call<RequestDetail>({
      method: 'GET',
      path: `${detailPath(id)}/wait?timeout=${LONG_POLL_SECONDS}`,
      signal,
      retry: true,
      timeoutMs: (LONG_POLL_SECONDS + 15) * 1000,
      about,
    });
    if (detail.status !== 'pending') return detail;
  }
}

function describeMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Waits until request `id` is decided and returns it in detail (with its grant token when it
 * was approved and the caller is its requester). Listens on the event stream and falls back
 * to long-polls when the stream is unavailable.
 *
 * @example const detail = await waitForDecision(http, request.id, { timeoutMs: 600_000 });
 */
export async function waitForDecision(
  http: HttpTransport,
  id: string,
  options: DecisionWaitOptions = {},
): Promise<RequestDetail> {
  const about = { ...options.about, requestId: id };
  // Timers cannot count past ~24.8 days (they would fire at once); longer is no limit at all.
  const bounded = options.timeoutMs !== undefined && options.timeoutMs <= MAX_TIMER_MS;
  const deadline = bounded ? AbortSignal.timeout(Math.max(0, options.timeoutMs as number)) : undefined;
  const signal = anySignal([options.signal, deadline]);
  try {
    return (await waitViaEvents(http, id, signal, about)) ?? (await waitViaLongPoll(http, id, signal, about));
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (deadline?.aborted && options.timeoutMs !== undefined) {
      const action = about.action ?? 'the action';
      throw new GatehouseUnavailable(
        'timeout',
        `No decision on ${action} within ${describeMs(options.timeoutMs)}`,
        {
          ...about,
          cause: error,
        },
      );
    }
    throw error;
  }
}
