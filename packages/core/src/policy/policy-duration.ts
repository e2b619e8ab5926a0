import type { DurationMs } from './policy-types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The longest duration a policy may state: 365 days. */
export const MAX_DURATION_MS: DurationMs = 365 * DAY;

/** The longest grant lifetime a policy may state: 24 hours (grants are meant to be short-lived). */
export const MAX_GRANT_TTL_MS: DurationMs = DAY;

// Units in descending order, each at most once: `1d12h`, `1h30m`, `90s`; never `30m1h`.
const DURATION = /^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/;

/** A parsed duration, or why the text is not one. */
export type DurationResult =
  | { readonly ok: true; readonly ms: DurationMs }
  | { readonly ok: false; readonly reason: string };

/**
 * Parse a policy duration: days, hours, minutes and seconds in that order, e.g. `30s`,
 * `10m`, `4h`, `7d`, `1h30m`. It must be positive and at most `max` milliseconds.
 *
 * @example parseDuration('1h30m') // { ok: true, ms: 5_400_000 }
 */
export function parseDuration(text: string, max: DurationMs = MAX_DURATION_MS): DurationResult {
  const found = text.length > 0 ? DURATION.exec(text) : null;
  if (found === null) {
    return {
      ok: false,
      reason: `"${text}" is not a duration; expected a form such as 30s, 10m, 4h, 7d or 1h30m`,
    };
  }
  const [, days, hours, minutes, seconds] = found;
  const ms =
    Number(days ?? 0) * DAY +
    Number(hours ?? 0) * HOUR +
    Number(minutes ?? 0) * MINUTE +
    Number(seconds ?? 0) * SECOND;
  if (ms <= 0) return { ok: false, reason: `"${text}" is zero; expected a positive duration` };
  if (ms > max)
    return {
      ok: false,
      reason: `"${text}" is longer than ${formatDuration(max)}; expected at most ${formatDuration(max)}`,
    };
  return { ok: true, ms };
}

/**
 * Format milliseconds (whole seconds) the way a policy writes them.
 *
 * @example formatDuration(5_400_000) // '1h30m'
 */
export function formatDuration(ms: DurationMs): string {
  let rest = Math.floor(ms / SECOND);
  let text = '';
  for (const [unit, size] of [
    ['d', DAY / SECOND],
    ['h', HOUR / SECOND],
    ['m', MINUTE / SECOND],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) text += `${count}${unit}`;
  }
  return text === '' ? '0s' : text;
}
