import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError, describeError } from '../api/api-error.js';
import { useSession } from '../session/use-session.js';
import { ThemeToggle } from '../theme/theme-toggle.js';

/** Single sign-on providers offered on this page. None today: the API has no provider routes yet. */
const SINGLE_SIGN_ON_PROVIDERS: readonly { readonly name: string; readonly href: string }[] = [];

const NOTICES = {
  expired: 'Your session ended. Sign in again to continue where you were.',
  'signed-out': 'You signed out.',
  'password-changed': 'Your password was changed, which ended every session. Sign in with the new password.',
} as const;

/** Sign in with a local account; a place for single sign-on buttons below. */
export function SignInPage() {
  const { state, api, signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [needsSetup, setNeedsSetup] = useState(false);
  const ids = { username: useId(), password: useId(), sso: useId() };
  const reason = state.status === 'signed-out' ? state.reason : undefined;

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<{ needsSetup: boolean }>('/v1/auth/setup-status', { signal: controller.signal })
      .then((status) => setNeedsSetup(status.needsSetup))
      .catch(() => {});
    return () => controller.abort();
  }, [api]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // Signed in: the app goes back to where the reviewer was (see AppRoutes).
      await signIn(username, password);
    } catch (caught) {
      setBusy(false);
      setError(
        caught instanceof ApiError && caught.status === 401
          ? 'That username and password do not match an account that may sign in.'
          : describeError(caught),
      );
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <h1 className="brand-title">Gatehouse</h1>
        <p className="lede">Sign in to review what your agents want to do.</p>
        {reason === undefined ? null : (
          <p className="notice" role="status">
            {NOTICES[reason]}
          </p>
        )}
        {needsSetup ? (
          <p className="notice notice-warning" role="status">
            No admin exists yet. Start the server once: it creates the admin and prints a one-time password in
            its log.
          </p>
        ) : null}
        <form className="form" onSubmit={submit} aria-label="Sign in with a local account">
          <div className="field">
            <label htmlFor={ids.username}>Username</label>
            <input
              id={ids.username}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>Password</label>
            <input
              id={ids.password}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          {error === undefined ? null : (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button-primary button-wide" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <section className="sso" aria-labelledby={ids.sso}>
          <h2 id={ids.sso} className="section-title">
            Single sign-on
          </h2>
          {SINGLE_SIGN_ON_PROVIDERS.length === 0 ? (
            <p className="hint">No single sign-on provider is configured on this server.</p>
          ) : (
            <ul className="sso-list">
              {SINGLE_SIGN_ON_PROVIDERS.map((provider) => (
                <li key={provider.name}>
                  <a className="button button-wide" href={provider.href}>
                    Continue with {provider.name}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div className="sign-in-footer">
          <ThemeToggle />
        </div>
      </div>
    </main>
  );
}
