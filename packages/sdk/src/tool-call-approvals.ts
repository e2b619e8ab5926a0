import type { JsonObject, RequestView } from './api-types.js';
import type { Gatehouse } from './gatehouse-client.js';
import { GatehouseDenial, GatehouseUnavailable } from './gatehouse-denial.js';
import type { Authorization } from './guard-types.js';

// What the framework adapters share: a tool call is checked against policy when the framework
// asks whether it needs approval, decided by Gatehouse when the framework asks for the
// approval, and run only after its grant is consumed. Calls are matched by the framework's
// tool-call id, so an approval can only ever be used by the call it was given for.

/**
 * How a tool's input becomes a Gatehouse action.
 * @example approvals.needsApproval('shell.execute', { params: ({ command }) => ({ command }), context: { environment: 'prod' } });
 */
export interface ToolActionOptions<I> {
  /** The params the approval is about (default: the input itself when it is an object). */
  readonly params?: (input: I) => JsonObject;
  /** The context (environment, team, workflow, runId are bound into the approval). */
  readonly context?: JsonObject | ((input: I) => JsonObject);
  /** The agent's reason, shown to reviewers as claimed. */
  readonly reason?: string | ((input: I) => string);
  /** Milliseconds to wait for people before giving up (the call then does not run). */
  readonly timeout?: number;
  /** Called when a call waits for reviewers (show people the request to review). */
  readonly onPending?: (request: RequestView) => void;
}

/**
 * Gatehouse's answer to one tool call's approval.
 * @example const decision: ToolCallDecision = await calls.decide(callId); if (!decision.approved) tell(decision.message);
 */
export type ToolCallDecision =
  | { readonly approved: true; readonly requestId?: string }
  | { readonly approved: false; readonly message: string; readonly denial?: GatehouseDenial };

/**
 * The framework-neutral core of the adapters (for a framework without an adapter yet).
 * @example const calls: ToolCallApprovals = createToolCallApprovals(gate);
 */
export interface ToolCallApprovals {
  /** True unless policy allows the call outright (a denial is answered through the approval too). */
  needsApproval<I>(
    action: string,
    input: I,
    callId: string | undefined,
    options?: ToolActionOptions<I>,
  ): Promise<boolean>;
  /** True when `needsApproval` saw this call, so Gatehouse answers its approval. */
  knows(callId: string): boolean;
  /** Submits the call and waits for people: approved (its grant kept for `execute`) or not, with a message for the model. */
  decide(callId: string): Promise<ToolCallDecision>;
  /**
   * Runs the call once its grant is consumed with the payload about to run: the grant `decide`
   * obtained, or a fresh guard when the policy allowed the call outright. A Gatehouse denial
   * becomes the tool's output, a sentence the model can act on.
   */
  execute<I, T>(
    action: string,
    input: I,
    callId: string | undefined,
    run: () => T | Promise<T>,
    options?: ToolActionOptions<I>,
  ): Promise<T | string>;
}

interface CallPayload {
  readonly action: string;
  readonly params: JsonObject;
  readonly context?: JsonObject;
  readonly reason?: string;
  readonly timeout?: number;
  readonly onPending?: (request: RequestView) => void;
}

/** Calls remembered at once, at most; the oldest are forgotten (their approval is then refused). */
const MAX_REMEMBERED_CALLS = 1_000;

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_REMEMBERED_CALLS) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

function payloadOf<I>(action: string, input: I, options: ToolActionOptions<I> = {}): CallPayload {
  const params =
    options.params?.(input) ??
    (typeof input === 'object' && input !== null && !Array.isArray(input)
      ? (input as JsonObject)
      : { input });
  const context = typeof options.context === 'function' ? options.context(input) : options.context;
  const reason = typeof options.reason === 'function' ? options.reason(input) : options.reason;
  return {
    action,
    params,
    ...(context === undefined ? {} : { context }),
    ...(reason === undefined ? {} : { reason }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    ...(options.onPending === undefined ? {} : { onPending: options.onPending }),
  };
}

const failsOpen = (gate: Gatehouse, error: unknown) =>
  gate.failOpen &&
  error instanceof GatehouseUnavailable &&
  (error.reason === 'network' || error.reason === 'server');

/**
 * The approvals of one agent run (or many): checks, decisions and grants of tool calls by id.
 * @example const approvals = createToolCallApprovals(gate); // adapters wrap this
 */
export function createToolCallApprovals(gate: Gatehouse): ToolCallApprovals {
  const seen = new Map<string, CallPayload>();
  const granted = new Map<string, Authorization>();

  return {
    async needsApproval(action, input, callId, options) {
      const payload = payloadOf(action, input, options);
      if (callId !== undefined) remember(seen, callId, payload);
      try {
        const explanation = await gate.evaluate(action, payload.params, {
          ...(payload.context === undefined ? {} : { context: payload.context }),
        });
        return explanation.decision.outcome !== 'allow';
      } catch (error) {
        // Unknown means ask: the approval step then fails closed (or open, if so configured).
        if (error instanceof GatehouseDenial) return true;
        throw error;
      }
    },

    knows: (callId) => seen.has(callId),

    async decide(callId) {
      const call = seen.get(callId);
      if (call === undefined) {
        return {
          approved: false,
          message: 'Gatehouse has no record of this tool call, so it was not approved. It did not run.',
        };
      }
      try {
        const authorization = await gate.authorize(call.action, call.params, {
          ...(call.context === undefined ? {} : { context: call.context }),
          ...(call.reason === undefined ? {} : { reason: call.reason }),
          ...(call.timeout === undefined ? {} : { timeout: call.timeout }),
          ...(call.onPending === undefined ? {} : { onPending: call.onPending }),
        });
        remember(granted, callId, authorization);
        return { approved: true, requestId: authorization.requestId };
      } catch (error) {
        if (!(error instanceof GatehouseDenial)) throw error;
        // Approving lets execute run its own guard, which fails open the same way.
        if (failsOpen(gate, error)) return { approved: true };
        return { approved: false, message: error.toModelMessage(), denial: error };
      }
    },

    async execute(action, input, callId, run, options) {
      const payload = payloadOf(action, input, options);
      const approved = callId === undefined ? undefined : granted.get(callId);
      if (callId !== undefined) {
        granted.delete(callId);
        seen.delete(callId);
      }
      const result = await gate.guardResult(action, payload.params, () => run(), {
        ...(payload.context === undefined ? {} : { context: payload.context }),
        ...(payload.reason === undefined ? {} : { reason: payload.reason }),
        ...(payload.timeout === undefined ? {} : { timeout: payload.timeout }),
        ...(payload.onPending === undefined ? {} : { onPending: payload.onPending }),
        ...(approved === undefined ? {} : { approved }),
      });
      return result.ok ? result.value : result.denial.toModelMessage();
    },
  };
}
