import { type FormEvent, useId, useState } from 'react';
import { useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { useAction } from './use-action.js';

/** Creates an agent owned by me, by a team I maintain, or (the admin) by anyone. */
export function CreateAgentForm({ onCreated }: { readonly onCreated: () => void }) {
  const api = useApi();
  const action = useAction();
  const id = useId();
  const [name, setName] = useState('');
  const [ownerKind, setOwnerKind] = useState<'me' | 'user' | 'team'>('me');
  const [ownerId, setOwnerId] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const owner = ownerKind === 'me' ? {} : { owner: { kind: ownerKind, id: ownerId.trim() } };
    if (await action.run(() => api.post('/v1/agents', { body: { name: name.trim(), ...owner } }))) {
      setName('');
      setOwnerId('');
      onCreated();
    }
  };

  return (
    <form className="form form-inline" onSubmit={submit} aria-label="Create an agent">
      <div className="field">
        <label htmlFor={`${id}-name`}>Agent name</label>
        <input
          id={`${id}-name`}
          required
          autoCapitalize="none"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-owner`}>Owned by</label>
        <select
          id={`${id}-owner`}
          value={ownerKind}
          onChange={(e) => setOwnerKind(e.target.value as 'me' | 'user' | 'team')}
        >
          <option value="me">me</option>
          <option value="user">a user</option>
          <option value="team">a team</option>
        </select>
      </div>
      {ownerKind === 'me' ? null : (
        <div className="field">
          <label htmlFor={`${id}-owner-id`}>{ownerKind === 'user' ? 'Username' : 'Team name'}</label>
          <input
            id={`${id}-owner-id`}
            required
            value={ownerId}
            onChange={(e) => setOwnerId(e.target.value)}
          />
        </div>
      )}
      <button type="submit" className="button button-primary" disabled={action.busy}>
        Create agent
      </button>
      <ActionError error={action.error} />
    </form>
  );
}
