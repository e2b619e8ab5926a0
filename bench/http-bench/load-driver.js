/**
 * A closed-loop load driver: `concurrency` clients, each sending its next request as soon as
 * the previous one answered, until `maxRequests` have been started or `maxMs` has passed
 * (whichever comes first; requests in flight at the deadline are let finish and counted).
 * Throughput is completed requests over the wall time from the first send to the last answer.
 */

import { performance } from 'node:perf_hooks';
import { summarizeLatencies } from './latency-stats.js';

/** Failures kept verbatim for the report; the rest are only counted. */
const KEPT_FAILURES = 5;

/**
 * Runs one bounded phase. `issue(index)` sends request number `index` and resolves when its
 * answer was read and checked; it throws when the answer is wrong (a failure: counted, kept,
 * not retried, not in the throughput).
 * @returns {Promise<{ completed: number, failed: number, failures: string[], elapsedMs: number,
 *   rps: number, latency: ReturnType<typeof summarizeLatencies>, stoppedBy: 'count' | 'time' }>}
 */
export async function runLoad({ concurrency, maxRequests, maxMs, issue }) {
  const latencies = new Float64Array(maxRequests);
  const failures = [];
  let started = 0;
  let completed = 0;
  let failed = 0;
  const startedAt = performance.now();
  const deadline = startedAt + maxMs;

  async function client() {
    while (started < maxRequests && performance.now() < deadline) {
      const index = started++;
      const sentAt = performance.now();
      try {
        await issue(index);
        latencies[completed++] = performance.now() - sentAt;
      } catch (error) {
        failed++;
        if (failures.length < KEPT_FAILURES)
          failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedMs = performance.now() - startedAt;
  return {
    completed,
    failed,
    failures,
    elapsedMs,
    rps: completed / (elapsedMs / 1000),
    latency: summarizeLatencies(latencies.subarray(0, completed)),
    stoppedBy: started >= maxRequests ? 'count' : 'time',
  };
}
