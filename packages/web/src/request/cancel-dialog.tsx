import { useRef, useState } from 'react';
import { describeError } from '../api/api-error.js';
import type { RequestView } from '../api/api-types.js';
import { Dialog } from '../common/dialog.js';
import { useApi } from '../session/use-session.js';
import { requestApiPath } from './review-api.js';

/** Withdraws a pending request (its requester, or the user it acts for). */
export function CancelDialog({
  request,
  onClose,
  onDone,
}: {
  readonly request: RequestView;
  readonly onClose: () => void;
  readonly onDone: () => void;
}) {
  const api = useApi();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const cancel = async () => {
    setBusy(true);
    try {
      await api.post(`${requestApiPath(request.id)}/cancel`);
      onDone();
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };
  return (
    <Dialog open title="Cancel this request?" onClose={onClose} initialFocus={keep}>
      <p>The request is withdrawn: nobody can approve it any more, and the agent is told it was cancelled.</p>
      {error === undefined ? null : (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" ref={keep} onClick={onClose}>
          Keep it
        </button>
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void cancel()}>
          Cancel the request
        </button>
      </div>
    </Dialog>
  );
}
