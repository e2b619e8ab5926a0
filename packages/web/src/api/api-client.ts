import { ApiError, NetworkError } from './api-error.js';
import type { Problem } from './api-types.js';

/** Methods that change state: the server wants the session's CSRF token with them. */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What one call sends. */
export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly signal?: AbortSignal;
}

/** Talks to the Gatehouse API of this origin with the browser's session cookie. */
export interface ApiClient {
  get<T>(path: string, options?: CallOptions): Promise<T>;
  post<T>(path: string, options?: CallOptions): Promise<T>;
  put<T>(path: string, options?: CallOptions): Promise<T>;
  patch<T>(path: string, options?: CallOptions): Promise<T>;
  delete<T>(path: string, options?: CallOptions): Promise<T>;
  /** The CSRF token sent with unsafe calls (set after sign-in, cleared on sign-out). */
  setCsrfToken(token: string | undefined): void;
}

/** What the client needs from the app. */
export interface ApiClientDeps {
  /** Called when a signed-in call answers 401: the session ended (expired, revoked). */
  readonly onUnauthenticated: () => void;
  /** The transport; the browser's fetch unless a test says otherwise. */
  readonly fetch?: typeof fetch;
}

/** Paths whose 401 is an answer, not a lapsed session. */
const AUTH_PROBES: ReadonlySet<string> = new Set(['/v1/auth/login', '/v1/auth/session', '/v1/auth/logout']);

/** `path` with the defined query parameters appended. */
export function withQuery(path: string, query: CallOptions['query']): string {
  if (query === undefined) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function problemOf(response: Response): Promise<Problem> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? (body as Problem) : {};
  } catch {
    return { title: response.statusText };
  }
}

/**
 * The app's API client: JSON in and out, same-origin cookies, `X-CSRF-Token` on unsafe
 * calls, problem details turned into {@link ApiError}, and a lapsed session reported once
 * per 401 so the app can send the reviewer to sign in.
 */
export function createApiClient(deps: ApiClientDeps): ApiClient {
  let csrfToken: string | undefined;
  const transport = deps.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (UNSAFE_METHODS.has(method) && csrfToken !== undefined) headers['X-CSRF-Token'] = csrfToken;
    let response: Response;
    try {
      response = await transport(withQuery(path, options.query), {
        method,
        headers,
        credentials: 'same-origin',
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new NetworkError(error);
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status === 401 && !AUTH_PROBES.has(path)) deps.onUnauthenticated();
      throw new ApiError(response.status, problem);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  return {
    get: (path, options) => call('GET', path, options),
    post: (path, options) => call('POST', path, options),
    put: (path, options) => call('PUT', path, options),
    patch: (path, options) => call('PATCH', path, options),
    delete: (path, options) => call('DELETE', path, options),
    setCsrfToken(token) {
      csrfToken = token;
    },
  };
}
