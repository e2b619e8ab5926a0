import { type FormEvent, useId, useRef, useState } from 'react';
import { describeError } from '../api/api-error.js';
import type { RequestView } from '../api/api-types.js';
import { Dialog } from '../common/dialog.js';
import { useApi } from '../session/use-session.js';
import { summarizeRequest } from './request-summary.js';
import { submitReview } from './review-api.js';

/** Props of {@link DecisionDialog}. */
export interface DecisionDialogProps {
  readonly request: RequestView;
  readonly decision: 'approve' | 'deny';
  readonly onClose: () => void;
  /** After the server recorded the vote. */
  readonly onDone: () => void;
}

/**
 * Confirms a vote: approving takes an optional comment, denying a required reason (the
 * requester is told why). The summary is repeated so the reviewer sees what they decide on.
 */
export function DecisionDialog({ request, decision, onClose, onDone }: DecisionDialogProps) {
  const api = useApi();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const commentId = useId();
  const deny = decision === 'deny';
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (deny && comment.trim() === '') {
      setError('Say why you deny it: the requester sees the reason.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await submitReview(api, request.id, decision, comment);
      onDone();
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    // Denying starts in the reason box; approving on the confirm button, so Enter confirms.
    <Dialog
      open
      title={deny ? 'Deny this request' : 'Approve this request'}
      onClose={onClose}
      initialFocus={deny ? reasonBox : confirmButton}
    >
      <p className="dialog-summary">{summarizeRequest(request)}</p>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={commentId}>{deny ? 'Reason (required)' : 'Comment (optional)'}</label>
          <textarea
            id={commentId}
            rows={3}
            maxLength={4000}
            aria-required={deny}
            ref={reasonBox}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
        </div>
        {error === undefined ? null : (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${deny ? 'button-danger' : 'button-primary'}`}
            disabled={busy}
            ref={confirmButton}
          >
            {busy ? 'Sending…' : deny ? 'Deny' : 'Approve'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
