/** A time for people: date and time in the reader's locale. */
export function formatDateTime(at: string | number): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return String(at);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).replace(/\u202f/g, ' ');
}

/** A span of time in its two largest units: `2d 4h`, `3h 12m`, `4m 05s`, `12s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}

/** How long ago `at` was, relative to `now`: `just now`, `5m ago`, `3h ago`, `2d ago`. */
export function formatAgo(at: string | number, now: number): string {
  const then = new Date(at).getTime();
  if (Number.isNaN(then)) return String(at);
  const ms = now - then;
  if (ms < 45_000) return 'just now';
  return `${formatDuration(ms).split(' ')[0]} ago`;
}
