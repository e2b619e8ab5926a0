import { Link } from '../app/link.js';
import { useLocation } from '../app/navigation.js';
import { returnPathOf } from '../app/return-path.js';
import { useUser } from '../session/use-session.js';
import { PasswordChangeForm } from './password-change-form.js';

/**
 * The admin's first run: the account still has the one-time password the server printed
 * in its log, which anyone with the log can use. Change it first.
 */
export function FirstRunPage() {
  const user = useUser();
  const location = useLocation();
  return (
    <div className="page page-narrow">
      <h1>Welcome to Gatehouse</h1>
      <div className="notice notice-warning">
        <p>
          The admin account <strong>{user.username}</strong> was created with a one-time password that the
          server printed in its log when it first started. Anyone who can read that log can sign in as you.
        </p>
        <p>
          <strong>Change the password now.</strong> Changing it signs you out; sign in again with the new one.
        </p>
      </div>
      <section className="card" aria-labelledby="first-run-password">
        <h2 id="first-run-password">Change the admin password</h2>
        <PasswordChangeForm user={user} />
      </section>
      <section className="card" aria-labelledby="first-run-next">
        <h2 id="first-run-next">Then</h2>
        <ol className="steps">
          <li>
            Create reviewers and moderators in <Link to="/admin/users">Administration → Users</Link>.
          </li>
          <li>
            Create an agent and give it a token in <Link to="/admin/agents">Administration → Agents</Link>.
          </li>
          <li>
            Read and adjust the rules in <Link to="/policy">Policy</Link>.
          </li>
        </ol>
        <p>
          <Link to={returnPathOf(location.search)}>Skip for now</Link>
        </p>
      </section>
    </div>
  );
}
