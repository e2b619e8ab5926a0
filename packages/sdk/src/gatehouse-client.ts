import type {
  ConsumedGrant,
  Explanation,
  JsonObject,
  RequestDetail,
  RequestView,
  SubmitResult,
} from './api-types.js';
import { waitForDecision } from './decision-waiter.js';
import { type GrantVerification, verifyGrant } from './grant-verify.js';
import {
  authorizeAction,
  consumeGrant,
  type GuardDeps,
  readRequest,
  reportOutcome,
  runGuarded,
  runGuardedResult,
  submitAction,
} from './guard-flow.js';
import type {
  Authorization,
  GatedOptions,
  GuardedFunction,
  GuardOptions,
  GuardResult,
  ReportedOutcome,
  SubmitOptions,
} from './guard-types.js';
import { createHttpTransport, type RetryOptions } from './http-transport.js';

/**
 * How to reach Gatehouse, and how to behave when it cannot be reached.
 * @example createGatehouse({ url: 'https://gatehouse.example.com', token, retry: { attempts: 5 } } satisfies GatehouseOptions);
 */
export interface GatehouseOptions {
  /** The server, e.g. `https://gatehouse.example.com`. */
  readonly url: string;
  /** The agent's API token (`gatehouse token create --agent <name>`). Sent only as a Bearer header. */
  readonly token: string;
  /** A fetch to use instead of the global one (proxies, tests). */
  readonly fetch?: typeof fetch;
  /**
   * Run the function anyway when Gatehouse is unreachable or failing (network errors, 5xx).
   * Off by default: Gatehouse fails closed, and an unreachable Gatehouse means nothing runs.
   * Never applies to denials, refusals, or a time-out waiting for people.
   */
  readonly failOpen?: boolean;
  /** Retries of calls that are safe to repeat (default 3 tries, 250 ms back-off growing 4×). */
  readonly retry?: RetryOptions;
  /** How long one API call may take before it counts as unreachable (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/**
 * The payload a grant is checked against when consumed: what is about to run.
 * @example await gate.consume(grant, { action: 'deploy.production', params: { ref } } satisfies GrantPayload);
 */
export interface GrantPayload {
  readonly action: string;
  readonly params: JsonObject;
  readonly context?: JsonObject;
}

/**
 * A Gatehouse client bound to one server and token (see `createGatehouse`).
 * @example const gate: Gatehouse = createGatehouse({ url, token });
 */
export interface Gatehouse {
  /** Whether this client runs guarded functions when Gatehouse is unreachable (see `GatehouseOptions`). */
  readonly failOpen: boolean;
  /**
   * Runs `fn(params, { requestId, grant })` only once the action is allowed or approved and its
   * grant consumed; reports the outcome and returns `fn`'s value. Otherwise throws a
   * `GatehouseDenial` (`kind`: Denied, Expired, Cancelled, Unavailable, Refused); `fn`'s own
   * errors are reported as failed and rethrown.
   * @example const out = await gate.guard('shell.execute', { command: 'ls' }, ({ command }) => run(command));
   */
  guard<P extends JsonObject, T>(
    action: string,
    params: P,
    fn: GuardedFunction<P, T>,
    options?: GuardOptions<T>,
  ): Promise<T>;
  /**
   * `guard`, but Gatehouse's answers come back as a value: `{ ok: true, value }` or
   * `{ ok: false, kind, denial }`. Only `fn`'s own errors reject.
   * @example const result = await gate.guardResult('deploy.production', { ref }, deploy);
   * if (!result.ok) return result.denial.toModelMessage();
   */
  guardResult<P extends JsonObject, T>(
    action: string,
    params: P,
    fn: GuardedFunction<P, T>,
    options?: GuardOptions<T>,
  ): Promise<GuardResult<T>>;
  /**
   * Wraps a function so every call is guarded: the action's params come from the arguments.
   * @example const deleteVm = gate.gated(proxmox.deleteVm, { action: 'proxmox.vm.delete', params: ([vmId]) => ({ vmId }) });
   */
  gated<A extends readonly unknown[], T>(
    fn: (...args: A) => T | Promise<T>,
    options: GatedOptions<A>,
  ): (...args: A) => Promise<T>;
  /**
   * Submits and waits for the decision without consuming the grant (framework adapters use
   * it; consume before acting). Rejects with a `GatehouseDenial` when it is not approved.
   * @example const { requestId, grant } = await gate.authorize('deploy.production', { ref });
   */
  authorize(action: string, params: JsonObject, options?: GuardOptions<never>): Promise<Authorization>;
  /**
   * What the policy would decide, with nothing stored (`POST /v1/evaluate`).
   * @example const needsPeople = (await gate.evaluate('deploy.production', { ref })).decision.outcome !== 'allow';
   */
  evaluate(
    action: string,
    params: JsonObject,
    options?: Omit<SubmitOptions, 'idempotencyKey'>,
  ): Promise<Explanation>;
  /**
   * Submits an action (`POST /v1/requests`): allowed (with `grant`), denied, or pending.
   * @example const { request, grant } = await gate.submit('deploy.production', { ref }, { idempotencyKey: runId });
   */
  submit(action: string, params: JsonObject, options?: SubmitOptions): Promise<SubmitResult>;
  /**
   * Waits until a request is decided (event stream, falling back to long-polls) and returns it
   * in detail, with `grantToken` when approved. Rejects `Unavailable` (reason `timeout`) after `timeout` ms.
   * @example const detail = await gate.waitFor(request.id, { timeout: 600_000 });
   */
  waitFor(
    id: string,
    options?: { readonly timeout?: number; readonly signal?: AbortSignal },
  ): Promise<RequestDetail>;
  /**
   * One request in detail (`GET /v1/requests/{id}`).
   * @example const { status } = await gate.getRequest(id);
   */
  getRequest(id: string, options?: { readonly signal?: AbortSignal }): Promise<RequestDetail>;
  /**
   * Withdraws a pending request.
   * @example await gate.cancel(request.id);
   */
  cancel(id: string): Promise<RequestView>;
  /**
   * Consumes a grant online, exactly once, checked against the payload about to run. Rejects
   * `Refused` for a second use (`grant-consumed`), a changed payload (`grant-mismatch`), a
   * forged (`grant-bad-signature`) or expired (`grant-expired`) grant.
   * @example const allowed = await gate.consume(grant, { action: 'deploy.production', params: { ref } });
   */
  consume(
    grant: string,
    payload: GrantPayload,
    options?: { readonly signal?: AbortSignal },
  ): Promise<ConsumedGrant>;
  /**
   * `consume`, under the name executors look for: verify offline with `verifyGrant`, then this.
   * @example await gate.consumeGrant(token, { action: claims.act, params });
   */
  consumeGrant(
    grant: string,
    payload: GrantPayload,
    options?: { readonly signal?: AbortSignal },
  ): Promise<ConsumedGrant>;
  /**
   * Reports how an approved action went (after its grant was consumed).
   * @example await gate.reportOutcome(requestId, { result: 'failed', detail: 'exit code 2' });
   */
  reportOutcome(id: string, outcome: ReportedOutcome): Promise<RequestView>;
  /**
   * Verifies a grant offline against this server's JWKS.
   * @example const verdict = await gate.verifyGrant(token, { audience: 'gatehouse' });
   */
  verifyGrant(
    token: unknown,
    options: { readonly audience: string; readonly now?: number },
  ): Promise<GrantVerification>;
}

/** Refuses a URL that is not plain http(s): credentials in it would end up in error messages. */
function checkServerUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`url: "${text}" is not a URL such as https://gatehouse.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('url: expected http:// or https://');
  if (url.username !== '' || url.password !== '')
    throw new TypeError('url: put no credentials in the URL (use token)');
}

/**
 * A Gatehouse client. Every action goes through the server's policy; nothing runs without an
 * approval and a consumed grant, and an unreachable server means nothing runs (fail closed)
 * unless `failOpen` says otherwise.
 *
 * @example
 * const gate = createGatehouse({ url: process.env.GATEHOUSE_URL!, token: process.env.GATEHOUSE_TOKEN! });
 * await gate.guard('shell.execute', { command: 'git push' }, ({ command }) => sh(command), { reason: 'release v1.2' });
 */
export function createGatehouse(options: GatehouseOptions): Gatehouse {
  checkServerUrl(options.url);
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const http = createHttpTransport({
    url: options.url,
    token: options.token,
    fetch: fetchImpl,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  const deps: GuardDeps = { http, failOpen: options.failOpen ?? false };
  const consume: Gatehouse['consume'] = (grant, payload, callOptions = {}) =>
    consumeGrant(deps, grant, payload, callOptions);

  const gate: Gatehouse = {
    failOpen: deps.failOpen,
    guard: (action, params, fn, guardOptions) => runGuarded(deps, action, params, fn, guardOptions),
    guardResult: (action, params, fn, guardOptions) =>
      runGuardedResult(deps, action, params, fn, guardOptions),
    gated<A extends readonly unknown[], T>(
      fn: (...args: A) => T | Promise<T>,
      gatedOptions: GatedOptions<A>,
    ) {
      const { action, params, context, reason, ...rest } = gatedOptions;
      return (...args: A) =>
        runGuarded(deps, action, params(args), () => fn(...args), {
          ...rest,
          ...(context === undefined ? {} : { context: context(args) }),
          ...(reason === undefined ? {} : { reason: reason(args) }),
        });
    },
    authorize: (action, params, authorizeOptions) => authorizeAction(deps, action, params, authorizeOptions),
    evaluate: (action, params, evaluateOptions = {}) =>
      http.call<Explanation>({
        method: 'POST',
        path: '/v1/evaluate',
        body: {
          action,
          params,
          ...(evaluateOptions.context === undefined ? {} : { context: evaluateOptions.context }),
          ...(evaluateOptions.reason === undefined ? {} : { reason: evaluateOptions.reason }),
          ...(evaluateOptions.onBehalfOf === undefined ? {} : { onBehalfOf: evaluateOptions.onBehalfOf }),
        },
        retry: true,
        about: { action },
        ...(evaluateOptions.signal === undefined ? {} : { signal: evaluateOptions.signal }),
      }),
    submit: (action, params, submitOptions) => submitAction(deps, action, params, submitOptions),
    waitFor: (id, waitOptions = {}) =>
      waitForDecision(http, id, {
        ...(waitOptions.timeout === undefined ? {} : { timeoutMs: waitOptions.timeout }),
        ...(waitOptions.signal === undefined ? {} : { signal: waitOptions.signal }),
      }),
    getRequest: (id, readOptions = {}) => readRequest(deps, id, readOptions.signal),
    cancel: (id) =>
      http.call<RequestView>({
        method: 'POST',
        path: `/v1/requests/${encodeURIComponent(id)}/cancel`,
        about: { requestId: id },
      }),
    consume,
    consumeGrant: consume,
    reportOutcome: (id, outcome) => reportOutcome(deps, id, outcome),
    verifyGrant: (token, verifyOptions) =>
      verifyGrant(token, {
        ...verifyOptions,
        jwksUrl: `${http.baseUrl}/.well-known/jwks.json`,
        fetch: fetchImpl,
      }),
  };
  return Object.freeze(gate);
}
