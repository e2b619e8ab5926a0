import { useState } from 'react';
import type { SessionUser } from '../api/api-types.js';
import { formatDateTime, formatDuration } from '../common/format-time.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { useNow } from '../common/use-now.js';
import { useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { announceEmergencyChange, listEmergencyWindows } from './emergency-data.js';
import { OpenEmergencyDialog } from './open-emergency-dialog.js';
import { useAction } from './use-action.js';

/** Emergency windows: open (the admin), close early (the admin), and the recent history. */
export function EmergencyPanel({ me }: { readonly me: SessionUser }) {
  const api = useApi();
  const action = useAction();
  const now = useNow(1_000);
  const [opening, setOpening] = useState(false);
  const data = useApiData('emergency', (client, signal) => listEmergencyWindows(client, signal));
  const isAdmin = me.role === 'admin';
  const close = async (id: string) => {
    if (await action.run(() => api.delete(`/v1/emergency/${encodeURIComponent(id)}`))) {
      data.reload();
      announceEmergencyChange();
    }
  };

  return (
    <section className="card" aria-labelledby="emergency-title">
      <div className="card-head">
        <h2 id="emergency-title">Emergency windows</h2>
        {isAdmin ? (
          <button type="button" className="button button-quiet-danger" onClick={() => setOpening(true)}>
            Open an emergency window…
          </button>
        ) : null}
      </div>
      <p className="hint">
        For incidents: for a short time, named actions pass without review. Every such approval is flagged and
        audited; deny rules still deny. Only the admin opens and closes windows.
      </p>
      <ActionError error={action.error} />
      {data.state.status === 'loading' ? <LoadingState label="Loading emergency windows…" /> : null}
      {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={data.reload} /> : null}
      {data.state.status === 'ready' && data.state.data.length === 0 ? (
        <p>No emergency window has been opened.</p>
      ) : null}
      {data.state.status === 'ready' && data.state.data.length > 0 ? (
        <ul className="windows" data-testid="emergency-windows">
          {data.state.data.map((window) => (
            <li key={window.id} className={`window${window.active ? ' window-active' : ''}`}>
              <p>
                {window.active ? (
                  <span className="badge badge-danger">open</span>
                ) : (
                  <span className="badge">closed</span>
                )}{' '}
                {window.actions.map((glob) => (
                  <code key={glob}>{glob} </code>
                ))}
              </p>
              <p>
                “{window.reason}” — opened by {window.openedBy}, {formatDateTime(window.openedAt)};{' '}
                {window.active
                  ? `closes in ${formatDuration(Date.parse(window.closesAt) - now)}`
                  : `closed ${formatDateTime(window.closedAt ?? window.closesAt)}${window.closedBy === undefined ? '' : ` by ${window.closedBy}`}`}
                .
              </p>
              {window.active && isAdmin ? (
                <button
                  type="button"
                  className="button"
                  disabled={action.busy}
                  onClick={() => void close(window.id)}
                >
                  Close now
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {opening ? (
        <OpenEmergencyDialog
          onClose={() => setOpening(false)}
          onOpened={() => {
            setOpening(false);
            data.reload();
            announceEmergencyChange();
          }}
        />
      ) : null}
    </section>
  );
}
