import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import type { AuditRecord } from '../api/api-types.js';
import { type LiveStatus, openEventStream } from '../api/event-stream.js';
import { useSession } from './use-session.js';

type Listener = (record: AuditRecord) => void;

interface LiveEventsValue {
  readonly status: LiveStatus;
  subscribe(listener: Listener): () => void;
}

const LiveEventsContext = createContext<LiveEventsValue | undefined>(undefined);

/**
 * One live event stream per signed-in tab, shared by every page: opened at sign-in, closed
 * at sign-out, reconnecting with Last-Event-ID on its own.
 */
export function LiveEventsProvider({ children }: { readonly children: ReactNode }) {
  const { state, endSession } = useSession();
  const [status, setStatus] = useState<LiveStatus>('stopped');
  const listeners = useRef(new Set<Listener>());
  const userId = state.status === 'signed-in' ? state.user.id : undefined;

  useEffect(() => {
    if (userId === undefined) return;
    const stream = openEventStream({
      url: '/v1/events',
      onRecord: (record) => {
        for (const listener of listeners.current) listener(record);
      },
      onStatus: setStatus,
      onUnauthenticated: () => endSession('expired'),
    });
    return () => stream.close();
  }, [userId, endSession]);

  const [value] = useState<Omit<LiveEventsValue, 'status'>>(() => ({
    subscribe(listener: Listener) {
      listeners.current.add(listener);
      return () => listeners.current.delete(listener);
    },
  }));
  return <LiveEventsContext.Provider value={{ ...value, status }}>{children}</LiveEventsContext.Provider>;
}

function useLiveEventsValue(): LiveEventsValue {
  const value = useContext(LiveEventsContext);
  if (value === undefined) throw new Error('live events need a LiveEventsProvider');
  return value;
}

/** How the live connection is doing. */
export function useLiveStatus(): LiveStatus {
  return useLiveEventsValue().status;
}

/** Calls `onRecord` for every live audit record the viewer may see, while mounted. */
export function useLiveEvents(onRecord: Listener): void {
  const { subscribe } = useLiveEventsValue();
  const latest = useRef(onRecord);
  latest.current = onRecord;
  useEffect(() => subscribe((record) => latest.current(record)), [subscribe]);
}
