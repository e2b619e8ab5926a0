import { formatDateTime, formatDuration } from '../common/format-time.js';

/** How long a pending request has left before its timeout applies. */
export function ExpiryCountdown({ expiresAt, now }: { readonly expiresAt: string; readonly now: number }) {
  const left = Date.parse(expiresAt) - now;
  return (
    <p className={`countdown${left < 5 * 60_000 ? ' countdown-urgent' : ''}`}>
      <span role="timer" aria-live="off">
        {left > 0 ? `Expires in ${formatDuration(left)}` : 'Expiring now'}
      </span>{' '}
      <span className="hint">
        (<time dateTime={expiresAt}>{formatDateTime(expiresAt)}</time>)
      </span>
    </p>
  );
}
