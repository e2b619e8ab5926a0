/** Per-IP login attempt limits. */
export interface LoginLimiterOptions {
  /** Attempts allowed per window and IP (default 20). */
  readonly limit?: number;
  /** The sliding window, in ms (default one minute). */
  readonly windowMs?: number;
  /** IPs tracked at most; the least recently seen is forgotten first (default 10,000). */
  readonly maxTrackedIps?: number;
}

/** What the limiter says about one attempt. */
export type LimiterVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** Whole seconds until the oldest attempt leaves the window. */
      readonly retryAfterSeconds: number;
      /** True for the first refused attempt of a burst: audit that one, not every one of a flood. */
      readonly firstRefusal: boolean;
    };

/** An in-memory sliding-window limiter of login attempts per IP. The server holds one. */
export interface LoginLimiter {
  /** Counts an attempt from `ip` at `now` and says whether it may proceed. Refused attempts do not count. */
  attempt(ip: string, now: number): LimiterVerdict;
}

interface IpWindow {
  /** Times of the allowed attempts still in the window, oldest first. */
  times: number[];
  /** Whether a refusal was already reported for the current burst. */
  refused: boolean;
}

/**
 * Creates a per-IP limiter: at most `limit` attempts in any `windowMs`. It is per process: with
 * several nodes each enforces its own window, and the per-account lockout (in the database)
 * is what holds across nodes.
 * @example const limiter = createLoginLimiter(); await login({ username, password, ip, now }, db, { limiter });
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}): LoginLimiter {
  const limit = options.limit ?? 20;
  const windowMs = options.windowMs ?? 60_000;
  const maxTrackedIps = options.maxTrackedIps ?? 10_000;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently seen first.
  const windows = new Map<string, IpWindow>();

  return Object.freeze({
    attempt(ip: string, now: number): LimiterVerdict {
      const window = windows.get(ip) ?? { times: [], refused: false };
      windows.delete(ip);
      windows.set(ip, window);
      while (window.times.length > 0 && (window.times[0] ?? now) <= now - windowMs) window.times.shift();
      if (window.times.length < limit) {
        window.times.push(now);
        window.refused = false;
        evictBeyond(windows, maxTrackedIps);
        return ALLOWED;
      }
      const oldest = window.times[0] ?? now;
      const firstRefusal = !window.refused;
      window.refused = true;
      return Object.freeze({
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
        firstRefusal,
      });
    },
  });
}

const ALLOWED: LimiterVerdict = Object.freeze({ allowed: true });

function evictBeyond(windows: Map<string, IpWindow>, max: number): void {
  for (const ip of windows.keys()) {
    if (windows.size <= max) return;
    windows.delete(ip);
  }
}
