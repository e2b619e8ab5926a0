import { useEffect, useRef, useState } from 'react';
import { AdminPage } from '../admin/admin-page.js';
import type { SessionUser } from '../api/api-types.js';
import { AuditPage } from '../audit/audit-page.js';
import { AccountPage } from '../auth/account-page.js';
import { adminHasGeneratedPassword } from '../auth/first-run-check.js';
import { FirstRunPage } from '../auth/first-run-page.js';
import { SignInPage } from '../auth/sign-in-page.js';
import { ErrorBoundary } from '../common/error-boundary.js';
import { LoadingState } from '../common/status-views.js';
import { AppShell } from '../layout/app-shell.js';
import { NotFoundPage } from '../layout/not-found-page.js';
import { PolicyPage } from '../policy/policy-page.js';
import { QueuePage } from '../queue/queue-page.js';
import { RequestDetailPage } from '../request/request-detail-page.js';
import { LiveEventsProvider } from '../session/live-events.js';
import { SessionProvider } from '../session/session-context.js';
import { useSession } from '../session/use-session.js';
import { navigate, useLocation } from './navigation.js';
import { returnPathOf, signInPathFrom } from './return-path.js';
import { matchRoute, type Route } from './routes.js';

function Page({ route }: { readonly route: Route }) {
  switch (route.page) {
    case 'queue':
      return <QueuePage />;
    case 'request':
      return <RequestDetailPage key={route.id} id={route.id} />;
    case 'audit':
      return <AuditPage />;
    case 'policy':
      return <PolicyPage tab={route.tab} />;
    case 'admin':
      return <AdminPage section={route.section} />;
    case 'account':
      return <AccountPage />;
    case 'first-run':
      return <FirstRunPage />;
    case 'sign-in':
    case 'not-found':
      return <NotFoundPage />;
  }
}

const FIRST_RUN_SHOWN_KEY = 'gatehouse.firstRunShown';

/** Records that this tab showed the first-run page to `userId`; true when it already had. */
function rememberFirstRunShown(userId: string): boolean {
  try {
    if (window.sessionStorage.getItem(FIRST_RUN_SHOWN_KEY) === userId) return true;
    window.sessionStorage.setItem(FIRST_RUN_SHOWN_KEY, userId);
  } catch {
    // No storage (private mode): show it on every load rather than never.
  }
  return false;
}

/** Whether the signed-in admin still has the generated password (checked once per sign-in). */
function useFirstRun(user: SessionUser | undefined): boolean {
  const { api } = useSession();
  const [firstRun, setFirstRun] = useState(false);
  // `user` is the same object for the whole session: this runs once per sign-in.
  useEffect(() => {
    setFirstRun(false);
    if (user === undefined) return;
    let cancelled = false;
    adminHasGeneratedPassword(api, user)
      .then((needed) => {
        if (!cancelled) setFirstRun(needed);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [user, api]);
  return firstRun;
}

function AppRoutes() {
  const { state } = useSession();
  const location = useLocation();
  const route = matchRoute(location.pathname);
  const userKey = state.status === 'signed-in' ? state.user.id : undefined;
  const firstRun = useFirstRun(state.status === 'signed-in' ? state.user : undefined);
  const previousPath = useRef(location.pathname);
  const sentToFirstRun = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (state.status === 'signed-out' && route.page !== 'sign-in') {
      navigate(signInPathFrom(`${location.pathname}${location.search}`), { replace: true });
    }
    if (state.status === 'signed-in' && route.page === 'sign-in') {
      navigate(returnPathOf(location.search), { replace: true });
    }
  }, [state.status, route.page, location.pathname, location.search]);

  // The admin with the generated password is sent to change it once per tab; after that
  // (after "Skip for now") the banner on every page keeps saying it.
  useEffect(() => {
    if (!firstRun || userKey === undefined || sentToFirstRun.current === userKey || route.page === 'sign-in')
      return;
    sentToFirstRun.current = userKey;
    if (!rememberFirstRunShown(userKey) && route.page !== 'first-run') {
      navigate(`/first-run?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`);
    }
  }, [firstRun, userKey, route.page, location.pathname, location.search]);

  // After an in-app navigation, put focus at the top of the new page (as a page load would).
  useEffect(() => {
    if (previousPath.current === location.pathname) return;
    previousPath.current = location.pathname;
    document.getElementById('main')?.focus({ preventScroll: false });
  }, [location.pathname]);

  if (state.status === 'loading') {
    return (
      <main id="main" className="app-main">
        <LoadingState label="Loading Gatehouse…" />
      </main>
    );
  }
  if (state.status === 'signed-out') return <SignInPage />;
  if (route.page === 'sign-in') {
    return (
      <main id="main" className="app-main">
        <LoadingState label="Signing in…" />
      </main>
    );
  }
  return (
    <AppShell user={state.user} firstRun={firstRun && route.page !== 'first-run'}>
      <ErrorBoundary resetKey={location.pathname}>
        <Page route={route} />
      </ErrorBoundary>
    </AppShell>
  );
}

/** The reviewer app: the session, live events, and the page the location names. */
export function App() {
  return (
    <SessionProvider>
      <LiveEventsProvider>
        <AppRoutes />
      </LiveEventsProvider>
    </SessionProvider>
  );
}
