import type { AuditRecord } from './api-types.js';
import { createSseParser } from './sse-parser.js';

/** How the live connection is doing. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** What a live event stream reports. */
export interface EventStreamOptions {
  /** `/v1/events`. */
  readonly url: string;
  readonly onRecord: (record: AuditRecord) => void;
  readonly onStatus: (status: LiveStatus) => void;
  /** The session ended: the stream stops. */
  readonly onUnauthenticated: () => void;
  /** Waits between attempts, in ms; the last repeats. */
  readonly retryDelays?: readonly number[];
}

/** An open live event stream. */
export interface EventStream {
  close(): void;
}

const DEFAULT_RETRY_DELAYS: readonly number[] = [500, 1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Follows the server's audit events over SSE. It reads the stream with fetch rather than
 * EventSource: the server names every event by its type (EventSource would need a listener
 * per type), and a 401 must end the session instead of retrying forever. After a drop it
 * reconnects with `Last-Event-ID`, so the server replays what was missed.
 */
export function openEventStream(options: EventStreamOptions): EventStream {
  const controller = new AbortController();
  const delays = options.retryDelays ?? DEFAULT_RETRY_DELAYS;
  let lastEventId: string | undefined;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const wait = () =>
    new Promise<void>((resolve) => {
      const delay = delays[Math.min(attempt, delays.length - 1)] ?? 1_000;
      attempt += 1;
      timer = setTimeout(resolve, delay);
      controller.signal.addEventListener('abort', () => resolve(), { once: true });
    });

  async function connectOnce(): Promise<'retry' | 'stop'> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    const response = await fetch(options.url, {
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 401) {
      options.onUnauthenticated();
      return 'stop';
    }
    if (!response.ok || response.body === null) return 'retry';
    attempt = 0;
    options.onStatus('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = createSseParser();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'retry';
      for (const event of parser.push(value)) {
        if (event.id !== undefined) lastEventId = event.id;
        try {
          options.onRecord(JSON.parse(event.data) as AuditRecord);
        } catch {
          // A malformed event is skipped; the next one carries on.
        }
      }
    }
  }

  async function run(): Promise<void> {
    options.onStatus('connecting');
    while (!controller.signal.aborted) {
      let next: 'retry' | 'stop';
      try {
        next = await connectOnce();
      } catch {
        next = 'retry';
      }
      if (controller.signal.aborted || next === 'stop') break;
      options.onStatus('reconnecting');
      await wait();
    }
    options.onStatus('stopped');
  }

  void run();
  return {
    close() {
      if (timer !== undefined) clearTimeout(timer);
      controller.abort();
    },
  };
}
