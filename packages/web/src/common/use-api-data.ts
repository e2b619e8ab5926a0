import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { useApi } from '../session/use-session.js';

/** Data being loaded from the API. */
export type Loadable<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'ready'; readonly data: T };

/** What {@link useApiData} gives a page. */
export interface ApiData<T> {
  readonly state: Loadable<T>;
  /** Loads again (keeping what is shown until the answer comes). */
  reload(): void;
  /** Replaces the data in place (after a change the page made, or a live event). */
  update(change: (current: T) => T): void;
}

/**
 * Loads `load(api, signal)` whenever `key` changes, cancelling the previous load. The key
 * names what is loaded (path and query), so a page re-renders without refetching.
 */
export function useApiData<T>(
  key: string,
  load: (api: ApiClient, signal: AbortSignal) => Promise<T>,
): ApiData<T> {
  const api = useApi();
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` loads; a new key loads again.
  useEffect(() => {
    const controller = new AbortController();
    setState((current) => (current.status === 'ready' && generation > 0 ? current : { status: 'loading' }));
    loader
      .current(api, controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      });
    return () => controller.abort();
  }, [api, key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const update = useCallback((change: (current: T) => T) => {
    setState((current) =>
      current.status === 'ready' ? { status: 'ready', data: change(current.data) } : current,
    );
  }, []);
  return { state, reload, update };
}
