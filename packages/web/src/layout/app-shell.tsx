import type { ReactNode } from 'react';
import type { SessionUser } from '../api/api-types.js';
import { Link } from '../app/link.js';
import { LiveIndicator } from '../session/live-indicator.js';
import { useSession } from '../session/use-session.js';
import { ThemeToggle } from '../theme/theme-toggle.js';
import { AppNav } from './app-nav.js';
import { EmergencyBanner } from './emergency-banner.js';

/** The frame of every signed-in page: skip link, header with navigation, and the page. */
export function AppShell({
  user,
  firstRun,
  children,
}: {
  readonly user: SessionUser;
  readonly firstRun: boolean;
  readonly children: ReactNode;
}) {
  const { signOut } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Gatehouse
          </Link>
          <AppNav user={user} />
          <div className="app-header-tools">
            <LiveIndicator />
            <ThemeToggle />
            <Link
              to="/account"
              className="user-chip"
              aria-label={`Your account: ${user.username}, ${user.role}`}
            >
              {user.username} <span className="user-role">{user.role}</span>
            </Link>
            <button type="button" className="button button-quiet" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <EmergencyBanner user={user} />
      {firstRun ? (
        <div className="banner banner-warning" role="status">
          You still use the one-time admin password from the server log.{' '}
          <Link to="/first-run">Change it now</Link>.
        </div>
      ) : null}
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
