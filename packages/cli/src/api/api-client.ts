import { CliError, EXIT } from '../cli-error.js';
import { ApiError, type CallPurpose, toProblem } from './api-error.js';

/** Where and as whom to call the API. */
export interface ApiTarget {
  /** The server's base URL, without a trailing slash. */
  readonly server: string;
  /** The bearer token; absent for the calls that need none (login). */
  readonly token?: string;
}

/** One call's options. */
export interface ApiCall {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Give up after this long (default 30 s): a server that accepts and never answers is unreachable. */
  readonly timeoutMs?: number;
  /** Which exit-code table applies to an error status (default `api`). */
  readonly purpose?: CallPurpose;
}

/** A successful answer. */
export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** A small client for the Gatehouse API; every failure becomes a CliError with the right exit code. */
export interface ApiClient {
  readonly server: string;
  call<T>(method: string, path: string, options?: ApiCall): Promise<ApiResponse<T>>;
  /** The same client, deaf to the interrupt: for clean-up calls after Ctrl-C (cancel, report an outcome). */
  withoutInterrupt(): ApiClient;
  /** Opens a streaming response (SSE); the caller reads and cancels its body. */
  stream(path: string, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Response>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Creates a client; `signal` (the CLI's interrupt) aborts every call. */
export function createApiClient(target: ApiTarget, signal?: AbortSignal): ApiClient {
  const authorization: Record<string, string> =
    target.token === undefined ? {} : { authorization: `Bearer ${target.token}` };

  function urlOf(path: string, query: ApiCall['query'] = {}): string {
    const url = new URL(`${target.server}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  async function send(
    url: string,
    init: RequestInit,
    timeoutMs: number,
    purpose: CallPurpose,
  ): Promise<Response> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal === undefined ? [] : [signal])];
    let response: Response;
    try {
      // `manual`: a redirect would carry the token to wherever it points.
      response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.any(signals) });
    } catch (error) {
      throw networkError(error, target.server, signal);
    }
    if (response.status >= 300 && response.status < 400) {
      throw new CliError(
        `${target.server} redirects to ${response.headers.get('location') ?? 'elsewhere'}: pass that as --server`,
        EXIT.problems,
      );
    }
    if (!response.ok) {
      const body = await readBody(response).catch(() => undefined);
      throw new ApiError(toProblem(response.status, body), purpose);
    }
    return response;
  }

  return Object.freeze<ApiClient>({
    server: target.server,
    withoutInterrupt: () => createApiClient(target),
    async call<T>(method: string, path: string, options: ApiCall = {}): Promise<ApiResponse<T>> {
      const hasBody = options.body !== undefined;
      const response = await send(
        urlOf(path, options.query),
        {
          method,
          headers: {
            accept: 'application/json',
            ...(hasBody ? { 'content-type': 'application/json' } : {}),
            ...authorization,
            ...options.headers,
          },
          ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
        },
        options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        options.purpose ?? 'api',
      );
      let body: unknown;
      try {
        body = await readBody(response);
      } catch (error) {
        throw networkError(error, target.server, signal);
      }
      return { status: response.status, headers: response.headers, body: body as T };
    },
    async stream(path, headers, streamSignal) {
      try {
        const response = await fetch(urlOf(path), {
          headers: { accept: 'text/event-stream', ...authorization, ...headers },
          redirect: 'manual',
          signal: streamSignal,
        });
        if (!response.ok) {
          const body = await readBody(response).catch(() => undefined);
          throw new ApiError(toProblem(response.status, body), 'api');
        }
        return response;
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw networkError(error, target.server, streamSignal);
      }
    },
  });
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? JSON.parse(text) : text;
}

/** A call that got no answer: interrupted (130), or the server is unreachable (4). */
function networkError(error: unknown, server: string, signal: AbortSignal | undefined): CliError {
  if (signal?.aborted) return new CliError('interrupted', EXIT.interrupted);
  const name = (error as Error).name;
  if (name === 'TimeoutError') return new CliError(`${server} did not answer in time`, EXIT.unreachable);
  const cause = (error as { cause?: { code?: string } }).cause;
  const why = cause?.code ?? (error as Error).message;
  return new CliError(`cannot reach the Gatehouse server at ${server} (${why})`, EXIT.unreachable);
}
