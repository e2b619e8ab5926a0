import { type FormEvent, useId, useState } from 'react';
import type { DirectoryUser, SessionUser, Team } from '../api/api-types.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { isStaff, useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { NameForm } from './name-form.js';
import { useAction } from './use-action.js';

function AddMemberForm({
  team,
  users,
  busy,
  onAdd,
}: {
  readonly team: Team;
  readonly users: readonly DirectoryUser[];
  readonly busy: boolean;
  readonly onAdd: (userId: string, role: 'member' | 'maintainer') => Promise<boolean>;
}) {
  const id = useId();
  const candidates = users.filter((user) => !team.members.some((member) => member.userId === user.id));
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<'member' | 'maintainer'>('member');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (userId !== '' && (await onAdd(userId, role))) setUserId('');
  };
  if (candidates.length === 0) return null;
  return (
    <form className="form form-inline" onSubmit={submit} aria-label={`Add a member to ${team.name}`}>
      <div className="field">
        <label htmlFor={`${id}-user`}>Add user</label>
        <select id={`${id}-user`} required value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">Choose…</option>
          {candidates.map((user) => (
            <option key={user.id} value={user.id}>
              {user.username}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>as</label>
        <select
          id={`${id}-role`}
          value={role}
          onChange={(e) => setRole(e.target.value as 'member' | 'maintainer')}
        >
          <option value="member">member</option>
          <option value="maintainer">maintainer</option>
        </select>
      </div>
      <button type="submit" className="button" disabled={busy}>
        Add
      </button>
    </form>
  );
}

/** Teams and their members (maintainers manage their own team). */
export function TeamsPanel({ me }: { readonly me: SessionUser }) {
  const api = useApi();
  const action = useAction();
  const data = useApiData('teams', async (client, signal) => {
    const [teams, users] = await Promise.all([
      client.get<{ teams: Team[] }>('/v1/teams', { signal }),
      client.get<{ users: DirectoryUser[] }>('/v1/users', { signal }),
    ]);
    return { teams: teams.teams, users: users.users };
  });
  const run = async (work: () => Promise<unknown>) => {
    const ok = await action.run(work);
    if (ok) data.reload();
    return ok;
  };
  const teamPath = (team: Team) => `/v1/teams/${encodeURIComponent(team.id)}/members`;

  return (
    <>
      {isStaff(me) ? (
        <section className="card" aria-labelledby="new-team-title">
          <h2 id="new-team-title">New team</h2>
          <NameForm
            label="Team name"
            submitLabel="Create team"
            busy={action.busy}
            onSubmit={(name) => run(() => api.post('/v1/teams', { body: { name } }))}
          />
        </section>
      ) : null}
      <ActionError error={action.error} />
      {data.state.status === 'loading' ? <LoadingState label="Loading teams…" /> : null}
      {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={data.reload} /> : null}
      {data.state.status === 'ready' && data.state.data.teams.length === 0 ? <p>No teams yet.</p> : null}
      {data.state.status === 'ready'
        ? data.state.data.teams.map((team) => (
            <section key={team.id} className="card" aria-label={`Team ${team.name}`}>
              <h2>{team.name}</h2>
              {team.members.length === 0 ? (
                <p>No members.</p>
              ) : (
                <ul className="member-list">
                  {team.members.map((member) => (
                    <li key={member.userId}>
                      <span>
                        {member.userId} <span className="hint">{member.role}</span>
                      </span>
                      <button
                        type="button"
                        className="button button-quiet"
                        disabled={action.busy}
                        aria-label={`Remove ${member.userId} from ${team.name}`}
                        onClick={() =>
                          void run(() => api.delete(`${teamPath(team)}/${encodeURIComponent(member.userId)}`))
                        }
                      >
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <AddMemberForm
                team={team}
                users={data.state.status === 'ready' ? data.state.data.users : []}
                busy={action.busy}
                onAdd={(userId, role) => run(() => api.post(teamPath(team), { body: { userId, role } }))}
              />
            </section>
          ))
        : null}
    </>
  );
}
