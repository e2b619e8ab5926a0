import { type FormEvent, useId, useRef, useState } from 'react';
import { Dialog } from '../common/dialog.js';
import { useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { parseActionGlobs } from './emergency-data.js';
import { useAction } from './use-action.js';

const DURATIONS = ['15m', '30m', '1h', '2h', '4h', '8h', '24h'] as const;

/**
 * Opens an emergency window, after saying what it does: the named actions are approved at
 * once, without any reviewer, until it closes; each such approval is flagged and audited;
 * deny rules still deny.
 */
export function OpenEmergencyDialog({
  onClose,
  onOpened,
}: {
  readonly onClose: () => void;
  readonly onOpened: () => void;
}) {
  const api = useApi();
  const action = useAction();
  const id = useId();
  const first = useRef<HTMLTextAreaElement>(null);
  const [actions, setActions] = useState('');
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState<(typeof DURATIONS)[number]>('1h');
  const [problem, setProblem] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const globs = parseActionGlobs(actions);
    if (globs.length === 0 || reason.trim() === '') {
      setProblem('Name at least one action and say why: both are kept in the audit log.');
      return;
    }
    setProblem(undefined);
    const opened = await action.run(() =>
      api.post('/v1/emergency', { body: { actions: globs, reason: reason.trim(), duration } }),
    );
    if (opened) onOpened();
  };

  return (
    <Dialog
      open
      title="Open an emergency window"
      onClose={onClose}
      className="dialog-danger"
      initialFocus={first}
    >
      <p>While the window is open:</p>
      <ul className="consequences">
        <li>
          requests for the actions you name are <strong>approved at once, without any reviewer</strong>, and
          the agent gets its grant;
        </li>
        <li>
          every such approval is flagged as an emergency approval and audited, with your name and reason;
        </li>
        <li>deny rules still deny, and every other action still waits for review;</li>
        <li>it closes by itself after the time you choose, or earlier when you close it.</li>
      </ul>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-actions`}>
            Actions (one per line or comma-separated; globs like deploy.*)
          </label>
          <textarea
            id={`${id}-actions`}
            ref={first}
            className="code-input"
            rows={3}
            aria-required="true"
            value={actions}
            onChange={(e) => setActions(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason (required)</label>
          <input
            id={`${id}-reason`}
            aria-required="true"
            maxLength={1000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-duration`}>Closes after</label>
          <select
            id={`${id}-duration`}
            value={duration}
            onChange={(e) => setDuration(e.target.value as (typeof DURATIONS)[number])}
          >
            {DURATIONS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        {problem === undefined ? null : (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
        <ActionError error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" disabled={action.busy}>
            Open the window
          </button>
        </div>
      </form>
    </Dialog>
  );
}
