import { abortableDelay, anySignal } from './abortable-delay.js';
import type { Problem } from './api-types.js';
import {
  type DenialDetails,
  type GatehouseDenial,
  GatehouseRefused,
  GatehouseUnavailable,
} from './gatehouse-denial.js';

/**
 * How often and how patiently a failed call that is safe to repeat is retried.
 * @example createGatehouse({ url, token, retry: { attempts: 5, delayMs: 500 } });
 */
export interface RetryOptions {
  /** Tries in all, the first included (default 3). */
  readonly attempts?: number;
  /** The first back-off; each next one is four times longer (default 250 ms). */
  readonly delayMs?: number;
}

/** Where and as whom the transport calls. */
export interface HttpTransportOptions {
  /** The server, e.g. `https://gatehouse.example.com` (a trailing slash is ignored). */
  readonly url: string;
  /** An API token (`gatehouse token create --agent …`). Sent only as a Bearer header. */
  readonly token: string;
  readonly fetch: typeof fetch;
  readonly retry?: RetryOptions;
  /** How long one call may take before it counts as unreachable (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/** One API call. */
export interface ApiCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Safe to repeat after a failure that may or may not have reached the server. */
  readonly retry?: boolean;
  /** Overrides `requestTimeoutMs` (long-polls wait longer). */
  readonly timeoutMs?: number;
  /** The action and request the call is about, carried into any denial it produces. */
  readonly about?: DenialDetails;
}

/** Calls the API with the token; every failure becomes a typed `GatehouseDenial`. */
export interface HttpTransport {
  readonly baseUrl: string;
  call<T>(call: ApiCall): Promise<T>;
  /** The back-off before retry number `attempt` (1-based): the configured delay, four times longer each time. */
  backoff(attempt: number): number;
  /** A raw authenticated GET whose body the caller reads (the event stream); network failures are typed. */
  open(path: string, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Response>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const PROBLEM_TYPE_PREFIX = 'https://gatehouse.dev/problems/';
const MAX_DETAIL_CHARS = 500;

function fieldIssues(problem: Problem): string {
  const issues = (problem.errors ?? [])
    .map((issue) =>
      typeof issue.field === 'string' ? `${issue.field}: ${String(issue.message)}` : undefined,
    )
    .filter((text): text is string => text !== undefined);
  return issues.length === 0 ? '' : ` (${issues.join('; ')})`;
}

/**
 * The typed denial for an HTTP error answer: 5xx and 429 mean unavailable (worth retrying),
 * anything else a refusal named by the problem's `reason` (or its type's last segment).
 */
export function denialFromResponse(
  status: number,
  problem: Partial<Problem>,
  about: DenialDetails = {},
): GatehouseDenial {
  const detail = (typeof problem.detail === 'string' ? problem.detail : `HTTP ${status}`).slice(
    0,
    MAX_DETAIL_CHARS,
  );
  if (status >= 500)
    return new GatehouseUnavailable('server', `the server failed (${status}): ${detail}`, {
      ...about,
      status,
    });
  if (status === 429) return new GatehouseUnavailable('rate-limited', detail, { ...about, status });
  const code =
    status === 401
      ? 'unauthenticated'
      : (problem.reason ??
        (typeof problem.type === 'string' && problem.type.startsWith(PROBLEM_TYPE_PREFIX)
          ? problem.type.slice(PROBLEM_TYPE_PREFIX.length)
          : `http-${status}`));
  return new GatehouseRefused(code, `${detail}${fieldIssues(problem as Problem)}`, { ...about, status });
}

async function problemOf(response: Response): Promise<Partial<Problem>> {
  try {
    const value: unknown = await response.json();
    return typeof value === 'object' && value !== null ? (value as Partial<Problem>) : {};
  } catch {
    return {};
  }
}

/**
 * The API client under everything the SDK does. Retries only calls marked safe to repeat,
 * only for unavailability, with growing back-off; a caller's abort ends it at once with the
 * signal's reason.
 * @example const http = createHttpTransport({ url, token, fetch: globalThis.fetch });
 */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const baseUrl = options.url.replace(/\/+$/, '');
  const attempts = Math.max(1, options.retry?.attempts ?? 3);
  const firstDelay = Math.max(0, options.retry?.delayMs ?? 250);
  const authorization = `Bearer ${options.token}`;
  const backoff = (attempt: number) => firstDelay * 4 ** Math.min(Math.max(attempt - 1, 0), 4);

  async function send(path: string, init: RequestInit, about: DenialDetails, callerSignal?: AbortSignal) {
    try {
      return await options.fetch(`${baseUrl}${path}`, init);
    } catch (error) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      // The fetch error names the host at most; the request (and its token) is not in it.
      const message =
        error instanceof Error && error.name === 'TimeoutError' ? 'the call timed out' : 'unreachable';
      throw new GatehouseUnavailable('network', `${baseUrl} is ${message}`, { ...about, cause: error });
    }
  }

  async function once<T>(call: ApiCall): Promise<T> {
    const about = call.about ?? {};
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization,
      ...call.headers,
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const signal = anySignal([
      call.signal,
      AbortSignal.timeout(call.timeoutMs ?? options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS),
    ]);
    const response = await send(
      call.path,
      {
        method: call.method,
        headers,
        signal,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      },
      about,
      call.signal,
    );
    if (!response.ok) throw denialFromResponse(response.status, await problemOf(response), about);
    try {
      return (await response.json()) as T;
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      throw new GatehouseUnavailable('server', 'the server answered with something that is not JSON', {
        ...about,
        status: response.status,
        cause: error,
      });
    }
  }

  return {
    baseUrl,
    backoff,
    async call<T>(call: ApiCall): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once<T>(call);
        } catch (error) {
          const retryable =
            call.retry === true && error instanceof GatehouseUnavailable && attempt < attempts;
          if (!retryable) throw error;
          await abortableDelay(backoff(attempt), call.signal);
        }
      }
    },
    open(path, headers, signal) {
      return send(path, { method: 'GET', headers: { ...headers, authorization }, signal }, {}, signal);
    },
  };
}
