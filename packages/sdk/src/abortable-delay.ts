/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts: a back-off
 * that never holds up a caller who has given up.
 * @example await abortableDelay(250, options.signal);
 */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One signal that aborts when any of `signals` does (undefined entries are skipped).
 * @example const signal = anySignal([options.signal, AbortSignal.timeout(30_000)]);
 */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length === 1 && present[0] !== undefined) return present[0];
  return AbortSignal.any(present);
}
