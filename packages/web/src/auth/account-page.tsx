import { useUser } from '../session/use-session.js';
import { PasswordChangeForm } from './password-change-form.js';

/** Who I am, and my password. */
export function AccountPage() {
  const user = useUser();
  return (
    <div className="page page-narrow">
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Username</dt>
        <dd>{user.username}</dd>
        <dt>Name</dt>
        <dd>{user.displayName}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
        <dt>Teams</dt>
        <dd>{user.teams.length === 0 ? 'none' : user.teams.join(', ')}</dd>
      </dl>
      <section className="card" aria-labelledby="account-password">
        <h2 id="account-password">Change your password</h2>
        <PasswordChangeForm user={user} />
      </section>
    </div>
  );
}
