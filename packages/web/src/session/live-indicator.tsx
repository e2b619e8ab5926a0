import { useLiveStatus } from './live-events.js';

const LABELS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Offline',
} as const;

/** Whether live updates are flowing; screen readers hear when it changes. */
export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span className={`live live-${status}`} data-live-status={status} role="status" aria-live="polite">
      <span className="live-dot" aria-hidden="true" />
      <span className="live-label">{LABELS[status]}</span>
    </span>
  );
}
