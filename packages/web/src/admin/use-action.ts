import { useState } from 'react';
import { describeError } from '../api/api-error.js';

/** A button's call to the API: busy while it runs, its error kept to show. */
export interface Action {
  readonly busy: boolean;
  readonly error: string | undefined;
  run(work: () => Promise<unknown>): Promise<boolean>;
  clear(): void;
}

/** Runs changes one at a time and keeps the last error (the server's refusal, in its words). */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  return {
    busy,
    error,
    async run(work) {
      setBusy(true);
      setError(undefined);
      try {
        await work();
        return true;
      } catch (caught) {
        setError(describeError(caught));
        return false;
      } finally {
        setBusy(false);
      }
    },
    clear: () => setError(undefined),
  };
}
