import { type FormEvent, useId, useState } from 'react';
import { MIN_PASSWORD_LENGTH } from '../auth/password-change-form.js';
import { useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { useAction } from './use-action.js';

/** Creates a user; the admin may create moderators, a moderator only users. */
export function CreateUserForm({
  canCreateModerators,
  onCreated,
}: {
  readonly canCreateModerators: boolean;
  readonly onCreated: () => void;
}) {
  const api = useApi();
  const action = useAction();
  const id = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<'user' | 'moderator'>('user');
  const [password, setPassword] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(() =>
      api.post('/v1/users', {
        body: {
          username: username.trim(),
          ...(displayName.trim() === '' ? {} : { displayName: displayName.trim() }),
          role,
          ...(password === '' ? {} : { password }),
        },
      }),
    );
    if (ok) {
      setUsername('');
      setDisplayName('');
      setPassword('');
      setRole('user');
      onCreated();
    }
  };

  return (
    <form className="form form-inline" onSubmit={submit} aria-label="Create a user">
      <div className="field">
        <label htmlFor={`${id}-username`}>Username</label>
        <input
          id={`${id}-username`}
          required
          pattern="[a-z0-9._\-]{1,64}"
          title="lowercase letters, digits, dot, underscore, dash"
          autoCapitalize="none"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Display name</label>
        <input id={`${id}-name`} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          value={role}
          onChange={(e) => setRole(e.target.value as 'user' | 'moderator')}
        >
          <option value="user">user</option>
          {canCreateModerators ? <option value="moderator">moderator</option> : null}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Initial password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          placeholder={`${MIN_PASSWORD_LENGTH}+ characters, or none`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" className="button button-primary" disabled={action.busy}>
        Create user
      </button>
      <ActionError error={action.error} />
    </form>
  );
}
