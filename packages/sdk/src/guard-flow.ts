import { assertCanonicalAction } from './action-name.js';
import type { ConsumedGrant, JsonObject, RequestDetail, RequestView, SubmitResult } from './api-types.js';
import { boundParams } from './bound-params.js';
import { waitForDecision } from './decision-waiter.js';
import { type DenialDetails, GatehouseDenial, GatehouseUnavailable } from './gatehouse-denial.js';
import type {
  Authorization,
  GuardContext,
  GuardedFunction,
  GuardOptions,
  GuardResult,
  ReportedOutcome,
  SubmitOptions,
} from './guard-types.js';
import type { HttpTransport } from './http-transport.js';
import { denialOfRequest } from './request-denial.js';

/** What the guard needs: the API, and whether to fail open. */
export interface GuardDeps {
  readonly http: HttpTransport;
  readonly failOpen: boolean;
}

/** The API's limit on an outcome's detail. */
const MAX_OUTCOME_DETAIL = 4_000;
/** A withdrawal after the caller gave up gets a short time of its own. */
const CANCEL_TIMEOUT_MS = 5_000;

const requestPath = (id: string) => `/v1/requests/${encodeURIComponent(id)}`;

/**
 * `POST /v1/requests`. Retried only with an Idempotency-Key (always, from `guard`), so a
 * retry after a lost answer finds the same request instead of making a second one.
 */
export function submitAction(
  deps: GuardDeps,
  action: string,
  params: JsonObject,
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  try {
    assertCanonicalAction(action);
  } catch (error) {
    return Promise.reject(error);
  }
  const key = options.idempotencyKey;
  return deps.http.call<SubmitResult>({
    method: 'POST',
    path: '/v1/requests',
    body: {
      action,
      params,
      ...(options.context === undefined ? {} : { context: options.context }),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      ...(options.onBehalfOf === undefined ? {} : { onBehalfOf: options.onBehalfOf }),
    },
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    retry: key !== undefined,
    about: { action },
  });
}

/** `GET /v1/requests/{id}`: the request, its timeline, and its grant token for its requester. */
export function readRequest(deps: GuardDeps, id: string, signal?: AbortSignal): Promise<RequestDetail> {
  return deps.http.call<RequestDetail>({
    method: 'GET',
    path: requestPath(id),
    retry: true,
    about: { requestId: id },
    ...(signal === undefined ? {} : { signal }),
  });
}

/** Withdraws a request nobody waits for any more; failures are ignored (it expires on its own). */
async function cancelQuietly(deps: GuardDeps, id: string): Promise<void> {
  await deps.http
    .call<RequestView>({ method: 'POST', path: `${requestPath(id)}/cancel`, timeoutMs: CANCEL_TIMEOUT_MS })
    .catch(() => {});
}

/** The grant of a decided request, or the typed denial of why there is none. */
function grantOrDenial(detail: RequestDetail): Authorization {
  if (detail.status === 'approved' && detail.grantToken !== undefined) {
    return { requestId: detail.id, grant: detail.grantToken, request: detail };
  }
  throw denialOfRequest(detail) ?? new GatehouseUnavailable('server', 'the request is still pending');
}

/**
 * Submits the action and waits until it may run: resolves with the request and its grant
 * (not yet consumed), or rejects with a typed `GatehouseDenial`. A wait that times out or is
 * aborted cancels the request, so no grant outlives the caller's interest in it.
 */
export async function authorizeAction(
  deps: GuardDeps,
  action: string,
  params: JsonObject,
  options: GuardOptions<never> = {},
): Promise<Authorization> {
  const idempotencyKey = options.idempotencyKey ?? globalThis.crypto.randomUUID();
  const submitted = await submitAction(deps, action, params, { ...options, idempotencyKey });
  const { request } = submitted;
  if (submitted.grant !== undefined) return { requestId: request.id, grant: submitted.grant, request };
  if (request.status === 'denied' && (submitted.decision.reasons?.length ?? 0) > 0) {
    throw denialOfRequest(request, submitted.decision.reasons);
  }
  // A replayed key answers without the reasons or the grant: the request itself still has them.
  if (request.status !== 'pending') return grantOrDenial(await readRequest(deps, request.id, options.signal));

  options.onPending?.(request);
  try {
    const detail = await waitForDecision(deps.http, request.id, {
      ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      about: { action },
    });
    return grantOrDenial(detail);
  } catch (error) {
    const timedOut = error instanceof GatehouseUnavailable && error.reason === 'timeout';
    if (timedOut || options.signal?.aborted) await cancelQuietly(deps, request.id);
    throw error;
  }
}

/** `POST /v1/grants/consume`: verifies the grant against the payload about to run and uses it up. */
export function consumeGrant(
  deps: GuardDeps,
  grant: string,
  payload: { readonly action: string; readonly params: JsonObject; readonly context?: JsonObject },
  options: { readonly signal?: AbortSignal; readonly about?: DenialDetails } = {},
): Promise<ConsumedGrant> {
  return deps.http.call<ConsumedGrant>({
    method: 'POST',
    path: '/v1/grants/consume',
    body: { grant, ...payload },
    // A retry after a lost answer is refused as `grant-consumed`: safe, and fail-closed.
    retry: true,
    about: options.about ?? { action: payload.action },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

/** `POST /v1/requests/{id}/outcome`. */
export function reportOutcome(deps: GuardDeps, id: string, outcome: ReportedOutcome): Promise<RequestView> {
  const detail = outcome.detail?.slice(0, MAX_OUTCOME_DETAIL);
  return deps.http.call<RequestView>({
    method: 'POST',
    path: `${requestPath(id)}/outcome`,
    body: { result: outcome.result, ...(detail === undefined ? {} : { detail }) },
    retry: true,
    about: { requestId: id },
  });
}

/** Only an unreachable or failing server may be failed open: never a slow human or a refusal. */
function mayFailOpen(deps: GuardDeps, error: unknown): error is GatehouseUnavailable {
  return (
    deps.failOpen &&
    error instanceof GatehouseUnavailable &&
    (error.reason === 'network' || error.reason === 'server')
  );
}

/**
 * The guard: authorize, consume the grant with the exact payload, and only then run `fn` with
 * the params the grant binds (as the server judged them); report how it went and return its value. Every way it does not run is a thrown
 * `GatehouseDenial`; the function's own errors are reported as `failed` and rethrown.
 */
export async function runGuarded<P extends JsonObject, T>(
  deps: GuardDeps,
  action: string,
  params: P,
  fn: GuardedFunction<P, T>,
  options: GuardOptions<T> = {},
): Promise<T> {
  let context: GuardContext;
  let bound: P;
  let requestId: string | undefined;
  try {
    const authorization =
      options.approved ?? (await authorizeAction(deps, action, params, options as GuardOptions<never>));
    requestId = authorization.requestId;
    const consumed = await consumeGrant(
      deps,
      authorization.grant,
      { action, params, ...(options.context === undefined ? {} : { context: options.context }) },
      { about: { action, requestId }, ...(options.signal === undefined ? {} : { signal: options.signal }) },
    );
    bound = boundParams(params, consumed, { action, requestId });
    context = { failedOpen: false, requestId, grant: authorization.grant, consumed };
  } catch (error) {
    if (!mayFailOpen(deps, error)) throw error;
    return fn(params, { failedOpen: true, ...(requestId === undefined ? {} : { requestId }) });
  }

  const reported = context.requestId;
  let value: T;
  try {
    value = await fn(bound, context);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    await reportOutcome(deps, reported, { result: 'failed', detail }).catch(() => {});
    throw error;
  }
  const outcome = options.outcomeOf?.(value) ?? { result: 'succeeded' as const };
  // The action ran; a lost outcome report must not turn its result into an error.
  await reportOutcome(deps, reported, outcome).catch(() => {});
  return value;
}

/** `runGuarded`, with every Gatehouse answer returned instead of thrown. */
export async function runGuardedResult<P extends JsonObject, T>(
  deps: GuardDeps,
  action: string,
  params: P,
  fn: GuardedFunction<P, T>,
  options: GuardOptions<T> = {},
): Promise<GuardResult<T>> {
  let ran = false;
  let requestId: string | undefined;
  let failedOpen = false;
  try {
    const value = await runGuarded(
      deps,
      action,
      params,
      (given, context) => {
        ran = true;
        failedOpen = context.failedOpen;
        requestId = context.requestId;
        return fn(given, context);
      },
      options,
    );
    return { ok: true, value, requestId, failedOpen };
  } catch (error) {
    if (ran || !(error instanceof GatehouseDenial)) throw error;
    return { ok: false, kind: error.kind, denial: error };
  }
}
