import { createContext, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ApiClient, createApiClient } from '../api/api-client.js';
import type { LoginResult, SessionInfo, SessionUser } from '../api/api-types.js';
import { navigate } from '../app/navigation.js';
import { signInPathFrom } from '../app/return-path.js';

/** Where the session stands. */
export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly reason?: 'expired' | 'signed-out' | 'password-changed' }
  | { readonly status: 'signed-in'; readonly user: SessionUser };

/** What every page gets from the session. */
export interface SessionContextValue {
  readonly state: SessionState;
  readonly api: ApiClient;
  signIn(username: string, password: string): Promise<SessionUser>;
  signOut(): Promise<void>;
  /** The session ended on the server (e.g. a password change ended it). */
  endSession(reason: 'expired' | 'password-changed'): void;
}

/** The session, for {@link useSession}. */
export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

function currentPath(): string {
  return `${window.location.pathname}${window.location.search}`;
}

/**
 * Holds the browser session: asks the server who is signed in on load, signs in and out,
 * and turns any 401 from a signed-in call into "your session ended": the reviewer goes to
 * sign-in with the page they were on remembered, and comes back to it afterwards.
 */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const signedIn = useRef(false);
  const onUnauthenticated = useRef<() => void>(() => {});
  const [api] = useState(() => createApiClient({ onUnauthenticated: () => onUnauthenticated.current() }));

  const endSession = useCallback(
    (reason: 'expired' | 'password-changed') => {
      // Several calls may fail with 401 at once: the first ends the session, the rest are moot.
      if (!signedIn.current) return;
      signedIn.current = false;
      api.setCsrfToken(undefined);
      setState({ status: 'signed-out', reason });
      // An expired session comes back to this page; a changed password starts afresh.
      navigate(reason === 'expired' ? signInPathFrom(currentPath()) : '/sign-in', { replace: true });
    },
    [api],
  );
  onUnauthenticated.current = () => endSession('expired');

  useEffect(() => {
    let cancelled = false;
    api
      .get<SessionInfo>('/v1/auth/session')
      .then((info) => {
        if (cancelled) return;
        // Without its CSRF token a browser session cannot change anything: sign in afresh.
        if (info.user === undefined || info.csrfToken === undefined) {
          setState({ status: 'signed-out' });
          return;
        }
        api.setCsrfToken(info.csrfToken);
        signedIn.current = true;
        setState({ status: 'signed-in', user: info.user });
      })
      .catch(() => {
        if (!cancelled) setState({ status: 'signed-out' });
      });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const result = await api.post<LoginResult>('/v1/auth/login', { body: { username, password } });
      api.setCsrfToken(result.csrfToken);
      signedIn.current = true;
      setState({ status: 'signed-in', user: result.user });
      return result.user;
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/v1/auth/logout');
    } finally {
      signedIn.current = false;
      api.setCsrfToken(undefined);
      setState({ status: 'signed-out', reason: 'signed-out' });
      navigate('/sign-in', { replace: true });
    }
  }, [api]);

  const value = useMemo<SessionContextValue>(
    () => ({ state, api, signIn, signOut, endSession }),
    [state, api, signIn, signOut, endSession],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
