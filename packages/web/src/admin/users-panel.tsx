import { useState } from 'react';
import type { DirectoryUser, SessionUser } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { ScrollRegion } from '../common/scroll-region.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { isStaff, useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { CreateUserForm } from './create-user-form.js';
import { TransferAdminDialog } from './transfer-admin-dialog.js';
import { useAction } from './use-action.js';

/** Users, their roles, and the one admin seat. */
export function UsersPanel({ me }: { readonly me: SessionUser }) {
  const api = useApi();
  const data = useApiData('users', (client, signal) =>
    client.get<{ users: DirectoryUser[] }>('/v1/users', { signal }),
  );
  const action = useAction();
  const [transferTo, setTransferTo] = useState<DirectoryUser | undefined>();
  const isAdmin = me.role === 'admin';

  const change = async (user: DirectoryUser, body: { role?: 'user' | 'moderator'; disabled?: boolean }) => {
    if (await action.run(() => api.patch(`/v1/users/${encodeURIComponent(user.id)}`, { body })))
      data.reload();
  };

  return (
    <>
      <section className="card" aria-labelledby="one-admin-title">
        <h2 id="one-admin-title">Roles</h2>
        <p>
          <strong>There is exactly one admin</strong>, always: the seat can be handed to another user (the old
          admin stays on as a moderator) but never left empty or shared. Moderators review and manage teams,
          groups and users; users review what their teams and groups are asked to.
        </p>
      </section>
      {isStaff(me) ? (
        <section className="card" aria-labelledby="create-user-title">
          <h2 id="create-user-title">New user</h2>
          <CreateUserForm canCreateModerators={isAdmin} onCreated={data.reload} />
        </section>
      ) : null}
      <section className="card" aria-labelledby="users-title">
        <h2 id="users-title">Users</h2>
        <ActionError error={action.error} />
        {data.state.status === 'loading' ? <LoadingState label="Loading users…" /> : null}
        {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={data.reload} /> : null}
        {data.state.status === 'ready' ? (
          <ScrollRegion label="Users">
            <table className="table" data-testid="users-table">
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                  {isAdmin ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.state.data.users.map((user) => (
                  <tr key={user.id}>
                    <td>
                      <strong>{user.username}</strong>
                      {user.displayName !== user.username ? (
                        <span className="hint"> {user.displayName}</span>
                      ) : null}
                    </td>
                    <td>
                      {isAdmin && user.role !== 'admin' ? (
                        <select
                          aria-label={`Role of ${user.username}`}
                          value={user.baseRole}
                          disabled={action.busy}
                          onChange={(e) =>
                            void change(user, { role: e.target.value as 'user' | 'moderator' })
                          }
                        >
                          <option value="user">user</option>
                          <option value="moderator">moderator</option>
                        </select>
                      ) : (
                        user.role
                      )}
                    </td>
                    <td>
                      {user.disabled ? 'disabled' : 'active'}
                      {user.lockedUntil === undefined
                        ? ''
                        : `, locked until ${formatDateTime(user.lockedUntil)}`}
                    </td>
                    <td>{formatDateTime(user.createdAt)}</td>
                    {isAdmin ? (
                      <td className="cell-actions">
                        {user.role === 'admin' ? (
                          <span className="hint">the admin</span>
                        ) : (
                          <>
                            <button
                              type="button"
                              className="button button-quiet"
                              disabled={action.busy}
                              onClick={() => void change(user, { disabled: !user.disabled })}
                            >
                              {user.disabled ? 'Enable' : 'Disable'}
                            </button>
                            {user.disabled ? null : (
                              <button
                                type="button"
                                className="button button-quiet"
                                onClick={() => setTransferTo(user)}
                              >
                                Make admin…
                              </button>
                            )}
                          </>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : null}
      </section>
      {transferTo === undefined ? null : (
        <TransferAdminDialog to={transferTo} onClose={() => setTransferTo(undefined)} />
      )}
    </>
  );
}
