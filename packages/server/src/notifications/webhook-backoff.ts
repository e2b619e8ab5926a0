/** How retries are spaced: exponential, capped, with full jitter; and when to give up. */
export interface RetrySchedule {
  readonly baseMs: number;
  readonly capMs: number;
  /** Attempts in all, the first included; after the last one fails the delivery is dead. */
  readonly maxAttempts: number;
}

/** 5 s × 2^attempt, at most an hour, eight attempts. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = Object.freeze({
  baseMs: 5_000,
  capMs: 3_600_000,
  maxAttempts: 8,
});

/**
 * How long to wait after attempt `attempt` (1-based) failed: a uniformly random time up to
 * `min(cap, base × 2^attempt)` ("full jitter"), so receivers that failed together are not
 * retried together. `random` returns [0, 1).
 */
export function retryDelay(
  attempt: number,
  random: () => number,
  schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE,
): number {
  const ceiling = Math.min(schedule.capMs, schedule.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(Math.min(1, Math.max(0, random())) * ceiling);
}

/** True when attempt `attempt` was the last one allowed. */
export function isLastAttempt(attempt: number, schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): boolean {
  return attempt >= schedule.maxAttempts;
}
