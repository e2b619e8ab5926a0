import { type FormEvent, useId, useRef, useState } from 'react';
import { describeError } from '../api/api-error.js';
import type { RequestView } from '../api/api-types.js';
import { Dialog } from '../common/dialog.js';
import { useApi } from '../session/use-session.js';
import { summarizeRequest } from './request-summary.js';
import { requestApiPath } from './review-api.js';

/**
 * The emergency override, behind a dialog that says what it does before it does it: the
 * request is approved at once, the remaining approvals are skipped, a grant is issued, and
 * the override is flagged with the overrider's name and justification for every later reader.
 */
export function OverrideDialog({
  request,
  onClose,
  onDone,
}: {
  readonly request: RequestView;
  readonly onClose: () => void;
  readonly onDone: () => void;
}) {
  const api = useApi();
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const skipped = request.stages.reduce(
    (sum, stage) => sum + (stage.state === 'done' ? 0 : stage.remaining),
    0,
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (justification.trim() === '') {
      setError('An override needs a justification: it is kept with the request and in the audit log.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`${requestApiPath(request.id)}/override`, {
        body: { justification: justification.trim() },
      });
      onDone();
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Emergency override" onClose={onClose} className="dialog-danger" initialFocus={box}>
      <p className="dialog-summary">{summarizeRequest(request)}</p>
      <p>Overriding this request will:</p>
      <ul className="consequences">
        <li>
          approve it <strong>now</strong>, skipping{' '}
          {skipped === 0
            ? 'the approvals still open'
            : `the ${skipped} approval${skipped === 1 ? '' : 's'} still needed`}
          ;
        </li>
        <li>issue a grant, so the agent can run the action exactly as shown, once;</li>
        <li>
          flag the request as <strong>overridden</strong>, with your name and your justification, in the
          request and the audit log, for every reviewer and auditor to see.
        </li>
      </ul>
      <p>It cannot be undone. Use it only when waiting would do more harm.</p>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={fieldId}>Justification (required)</label>
          <textarea
            id={fieldId}
            ref={box}
            rows={3}
            maxLength={4000}
            // Checked here, with a message that says why, rather than by the browser's bubble.
            aria-required="true"
            value={justification}
            onChange={(event) => setJustification(event.target.value)}
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
          <button type="submit" className="button button-danger" disabled={busy}>
            {busy ? 'Overriding…' : 'Override and approve'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
