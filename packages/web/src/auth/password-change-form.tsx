import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api-error.js';
import type { SessionUser } from '../api/api-types.js';
import { useSession } from '../session/use-session.js';

/** The server's rule for passwords. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Changes the signed-in user's password. The server ends every session of the user when
 * the password changes, this one included, so success leads to signing in again.
 */
export function PasswordChangeForm({ user }: { readonly user: SessionUser }) {
  const { api, endSession } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const ids = { current: useId(), next: useId(), confirm: useId(), hint: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ([...next].length < MIN_PASSWORD_LENGTH) {
      setError(`The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    if (next !== confirm) {
      setError('The two new passwords differ.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/v1/users/${encodeURIComponent(user.id)}/password`, {
        body: { currentPassword: current, newPassword: next },
      });
      endSession('password-changed');
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Change your password">
      {/* Tells password managers whose password this is. */}
      <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
      <div className="field">
        <label htmlFor={ids.current}>Current password</label>
        <input
          id={ids.current}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.next}>New password</label>
        <input
          id={ids.next}
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-describedby={ids.hint}
          value={next}
          onChange={(event) => setNext(event.target.value)}
        />
        <p id={ids.hint} className="hint">
          At least {MIN_PASSWORD_LENGTH} characters. A long passphrase is best. Changing it signs you out
          everywhere.
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.confirm}>New password again</label>
        <input
          id={ids.confirm}
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
        />
      </div>
      {error === undefined ? null : (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
