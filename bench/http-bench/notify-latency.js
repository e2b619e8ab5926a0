/**
 * Decision latency as a waiting agent sees it: for each of `count` pending requests, the time
 * from sending the moderator's approve call to the agent's waiting client seeing the decision.
 * Two waiting clients, measured separately, one request at a time (an idle server, not a loaded
 * one): the agent's Server-Sent Events stream (`GET /v1/events`, the `request.approved` event)
 * and a long-poll (`GET /v1/requests/{id}/wait`, its answer read to the end).
 */

import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { summarizeLatencies } from './latency-stats.js';
import { openEventStream } from './sse-client.js';

/**
 * How long a long-poll is given to reach the server and subscribe before the approve is sent.
 * The server subscribes before it reads the request, so a late subscription would still answer
 * correctly (from the stored state); the pause only makes sure it is the notification path
 * that is timed, and is not part of any sample.
 */
const PARK_MS = 10;

/** A stream event or long-poll answer that does not come within this is a failure, not a wait. */
const SEEN_TIMEOUT_MS = 10_000;

/** `promise`, or a rejection with `message` after SEEN_TIMEOUT_MS; the timer never outlives it. */
async function withinTimeout(promise, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${SEEN_TIMEOUT_MS} ms`)), SEEN_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Remembers when each (event type, request id) was seen; `when` waits for one. */
function createSightings() {
  const seen = new Map();
  const waiting = new Map();
  return {
    note(key, at) {
      const resolve = waiting.get(key);
      if (resolve === undefined) seen.set(key, at);
      else {
        waiting.delete(key);
        resolve(at);
      }
    },
    async when(key) {
      const at = seen.get(key);
      if (at !== undefined) {
        seen.delete(key);
        return at;
      }
      try {
        return await withinTimeout(
          new Promise((resolve) => waiting.set(key, resolve)),
          `event stream: ${key} not seen`,
        );
      } finally {
        waiting.delete(key);
      }
    },
  };
}

/**
 * Times `count` decisions seen over the agent's SSE stream, after `warmUp` untimed ones.
 * `api` is the bench's Gatehouse client: `submitPending(index)` → request id, `approve(id)`.
 */
export async function measureSseNotify(api, { count, warmUp }) {
  const sightings = createSightings();
  const stream = await openEventStream(api.origin, {
    path: '/v1/events',
    token: api.agentToken,
    onEvent(event, receivedAt) {
      if (event.event !== 'request.created' && event.event !== 'request.approved') return;
      const { subject } = JSON.parse(event.data);
      sightings.note(`${event.event} ${subject}`, receivedAt);
    },
  });
  api.countServed(1);
  try {
    const samples = [];
    for (let index = 0; index < warmUp + count; index++) {
      const id = await api.submitPending(`sse-${index}`);
      // The stream has caught up with this request before the clock starts.
      await sightings.when(`request.created request:${id}`);
      const sentAt = performance.now();
      const approved = api.approve(id);
      approved.catch(() => {}); // awaited below, after the sighting
      const seenAt = await sightings.when(`request.approved request:${id}`);
      await approved;
      if (index >= warmUp) samples.push(seenAt - sentAt);
    }
    return summarizeLatencies(samples);
  } finally {
    stream.close();
  }
}

/**
 * Times `count` decisions seen by a long-poll, after `warmUp` untimed ones. `api.waitFor(id)`
 * resolves with the decided status once the wait's answer was read.
 */
export async function measureLongPollNotify(api, { count, warmUp }) {
  const samples = [];
  for (let index = 0; index < warmUp + count; index++) {
    const id = await api.submitPending(`poll-${index}`);
    let seenAt = 0;
    const waited = api.waitFor(id).then((status) => {
      seenAt = performance.now();
      return status;
    });
    // Awaited below; a failure meanwhile must not surface as an unhandled rejection first.
    waited.catch(() => {});
    await delay(PARK_MS);
    const sentAt = performance.now();
    await api.approve(id);
    const status = await withinTimeout(waited, `long-poll: no answer for ${id}`);
    if (status !== 'approved') throw new Error(`long-poll: ${id} answered ${status}, expected approved`);
    if (index >= warmUp) samples.push(seenAt - sentAt);
  }
  return summarizeLatencies(samples);
}
