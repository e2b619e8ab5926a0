import { useContext } from 'react';
import type { ApiClient } from '../api/api-client.js';
import type { SessionUser } from '../api/api-types.js';
import { SessionContext, type SessionContextValue } from './session-context.js';

/** The session (inside {@link SessionProvider}). */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === undefined) throw new Error('useSession needs a SessionProvider');
  return value;
}

/** The API client. */
export function useApi(): ApiClient {
  return useSession().api;
}

/** The signed-in user (on pages that only render when signed in). */
export function useUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser needs a signed-in session');
  return state.user;
}

/** Whether the user is the admin or a moderator: they see every request and the audit log. */
export function isStaff(user: SessionUser): boolean {
  return user.role === 'admin' || user.role === 'moderator';
}
