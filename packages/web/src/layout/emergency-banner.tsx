import { useEffect } from 'react';
import { EMERGENCY_CHANGED_EVENT, listEmergencyWindows } from '../admin/emergency-data.js';
import type { SessionUser } from '../api/api-types.js';
import { Link } from '../app/link.js';
import { formatDuration } from '../common/format-time.js';
import { useApiData } from '../common/use-api-data.js';
import { useNow } from '../common/use-now.js';
import { useLiveEvents } from '../session/live-events.js';

/**
 * Tells the admin and moderators, on every page, while an emergency window lets actions
 * pass without review. (Others may not list windows; their requests say so when it applies.)
 */
export function EmergencyBanner({ user }: { readonly user: SessionUser }) {
  if (user.role !== 'admin' && user.role !== 'moderator') return null;
  return <OpenWindows />;
}

function OpenWindows() {
  const data = useApiData('emergency-banner', (api, signal) => listEmergencyWindows(api, signal));
  const now = useNow(15_000);
  const { reload } = data;
  useLiveEvents((record) => {
    if (record.type.startsWith('emergency.')) reload();
  });
  useEffect(() => {
    window.addEventListener(EMERGENCY_CHANGED_EVENT, reload);
    return () => window.removeEventListener(EMERGENCY_CHANGED_EVENT, reload);
  }, [reload]);
  if (data.state.status !== 'ready') return null;
  const open = data.state.data.filter((window) => window.active && Date.parse(window.closesAt) > now);
  if (open.length === 0) return null;
  return (
    <div className="banner banner-danger" role="status" data-testid="emergency-banner">
      <strong>Emergency window open:</strong>{' '}
      {open
        .map(
          (window) =>
            `${window.actions.join(', ')} (for ${formatDuration(Date.parse(window.closesAt) - now)} more)`,
        )
        .join('; ')}{' '}
      pass without review. <Link to="/admin/emergency">Details</Link>
    </div>
  );
}
