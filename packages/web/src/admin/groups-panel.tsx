import { type FormEvent, useId, useState } from 'react';
import type { ApprovalGroup, SessionUser } from '../api/api-types.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { isStaff, useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { NameForm } from './name-form.js';
import { useAction } from './use-action.js';

type MemberKind = 'user' | 'team';

function AddGroupMemberForm({
  group,
  busy,
  onAdd,
}: {
  readonly group: ApprovalGroup;
  readonly busy: boolean;
  readonly onAdd: (kind: MemberKind, id: string) => Promise<boolean>;
}) {
  const id = useId();
  const [kind, setKind] = useState<MemberKind>('user');
  const [member, setMember] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onAdd(kind, member.trim())) setMember('');
  };
  return (
    <form className="form form-inline" onSubmit={submit} aria-label={`Add a member to ${group.name}`}>
      <div className="field">
        <label htmlFor={`${id}-kind`}>Member type</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as MemberKind)}>
          <option value="user">user</option>
          <option value="team">team</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-id`}>Member name</label>
        <input
          id={`${id}-id`}
          required
          autoCapitalize="none"
          value={member}
          onChange={(e) => setMember(e.target.value)}
        />
      </div>
      <button type="submit" className="button" disabled={busy}>
        Add
      </button>
    </form>
  );
}

/** Approval groups: named sets of users and teams that policies require approvals from. */
export function GroupsPanel({ me }: { readonly me: SessionUser }) {
  const api = useApi();
  const action = useAction();
  const staff = isStaff(me);
  const data = useApiData('groups', (client, signal) =>
    client.get<{ groups: ApprovalGroup[] }>('/v1/groups', { signal }),
  );
  const run = async (work: () => Promise<unknown>) => {
    const ok = await action.run(work);
    if (ok) data.reload();
    return ok;
  };
  const groupPath = (group: ApprovalGroup) => `/v1/groups/${encodeURIComponent(group.name)}/members`;
  const remove = (group: ApprovalGroup, kind: MemberKind, id: string) =>
    void run(() => api.delete(`${groupPath(group)}/${kind}/${encodeURIComponent(id)}`));

  return (
    <>
      <p className="hint">
        A rule names a group (<code>approvers: {'{ group: operators }'}</code>); its members are the users and
        the members of the teams listed here (and in the policy file).
      </p>
      {staff ? (
        <section className="card" aria-labelledby="new-group-title">
          <h2 id="new-group-title">New approval group</h2>
          <NameForm
            label="Group name"
            submitLabel="Create group"
            busy={action.busy}
            onSubmit={(name) => run(() => api.post('/v1/groups', { body: { name } }))}
          />
        </section>
      ) : null}
      <ActionError error={action.error} />
      {data.state.status === 'loading' ? <LoadingState label="Loading groups…" /> : null}
      {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={data.reload} /> : null}
      {data.state.status === 'ready' && data.state.data.groups.length === 0 ? (
        <p>No approval groups yet.</p>
      ) : null}
      {data.state.status === 'ready'
        ? data.state.data.groups.map((group) => (
            <section key={group.name} className="card" aria-label={`Group ${group.name}`}>
              <h2>{group.name}</h2>
              <ul className="member-list">
                {[
                  ...group.users.map((id) => ['user', id] as const),
                  ...group.teams.map((id) => ['team', id] as const),
                ].map(([kind, id]) => (
                  <li key={`${kind}:${id}`}>
                    <span>
                      {id} <span className="hint">{kind}</span>
                    </span>
                    {staff ? (
                      <button
                        type="button"
                        className="button button-quiet"
                        disabled={action.busy}
                        aria-label={`Remove ${kind} ${id} from ${group.name}`}
                        onClick={() => remove(group, kind, id)}
                      >
                        Remove
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
              {group.users.length + group.teams.length === 0 ? <p>No members.</p> : null}
              {staff ? (
                <AddGroupMemberForm
                  group={group}
                  busy={action.busy}
                  onAdd={(kind, id) => run(() => api.post(groupPath(group), { body: { kind, id } }))}
                />
              ) : null}
            </section>
          ))
        : null}
    </>
  );
}
