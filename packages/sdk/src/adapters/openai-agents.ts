import type { RunContext, RunToolApprovalItem } from '@openai/agents';
import type { Gatehouse } from '../gatehouse-client.js';
import { createToolCallApprovals, type ToolActionOptions } from '../tool-call-approvals.js';

// OpenAI Agents JS: a tool's `needsApproval` asks Gatehouse's policy; the run's interruptions
// are resolved with Gatehouse's decisions (`state.approve` / `state.reject`); the tool's
// `execute` consumes the grant before it runs. Only types are imported from the framework.

/**
 * The run state methods this adapter calls (a `RunState` has them).
 * @example await approvals.resolve({ state: result.state satisfies ApprovalState, interruptions: result.interruptions });
 */
export interface ApprovalState {
  approve(item: RunToolApprovalItem): void;
  reject(item: RunToolApprovalItem, options?: { message?: string }): void;
}

/**
 * What `resolve` did with a run's interruptions.
 * @example const { unresolved }: ResolvedInterruptions = await approvals.resolve(result); for (const item of unresolved) askUser(item);
 */
export interface ResolvedInterruptions {
  readonly approved: number;
  readonly rejected: number;
  /** Interruptions that are not Gatehouse's (tools it does not gate): left for you to resolve. */
  readonly unresolved: readonly RunToolApprovalItem[];
}

/**
 * The third argument the Agents SDK passes to a tool's `execute`.
 * @example execute: approvals.execute('x.y', (input, ctx, details?: ToolCallDetailsLike) => details?.toolCall?.callId)
 */
export interface ToolCallDetailsLike {
  readonly toolCall?: { readonly callId?: string };
}

/**
 * Gatehouse as the approver of an OpenAI Agents JS agent's tools (see `gatehouseAgentApprovals`).
 * @example const approvals: OpenAiAgentsGatehouse = gatehouseAgentApprovals(gate);
 */
export interface OpenAiAgentsGatehouse {
  /**
   * A tool's `needsApproval`: true unless the policy allows the call outright (`POST
   * /v1/evaluate`; a denial is answered through the interruption too, so the model hears why).
   * @example tool({ name: 'run_shell', parameters, needsApproval: approvals.needsApproval('shell.execute'), execute })
   */
  needsApproval<I>(
    action: string,
    options?: ToolActionOptions<I>,
  ): (runContext: RunContext, input: I, callId?: string) => Promise<boolean>;
  /**
   * A tool's `execute`, run only after its grant is consumed with this exact input. A denial,
   * expiry or refusal becomes the tool's output: a sentence the model can act on.
   * @example execute: approvals.execute('shell.execute', async ({ command }) => sh(command))
   */
  execute<I, T, C = unknown>(
    action: string,
    fn: (input: I, runContext?: RunContext<C>, details?: ToolCallDetailsLike) => T | Promise<T>,
    options?: ToolActionOptions<I>,
  ): (input: I, runContext?: RunContext<C>, details?: ToolCallDetailsLike) => Promise<T | string>;
  /**
   * Resolves a run's interruptions with Gatehouse's decisions: submits each gated call, waits
   * for people, then `state.approve(item)` or `state.reject(item, { message })` with a sentence
   * the model can act on. Run the agent again with `result.state` afterwards.
   * @example
   * while (result.interruptions.length > 0) {
   *   await approvals.resolve(result);
   *   result = await run(agent, result.state);
   * }
   */
  resolve(result: {
    readonly state: ApprovalState;
    readonly interruptions: readonly RunToolApprovalItem[];
  }): Promise<ResolvedInterruptions>;
}

function callIdOf(item: RunToolApprovalItem): string | undefined {
  const raw = item.rawItem as { readonly callId?: unknown };
  return typeof raw.callId === 'string' ? raw.callId : undefined;
}

/**
 * Puts an OpenAI Agents JS agent's tools behind Gatehouse.
 *
 * @example
 * const approvals = gatehouseAgentApprovals(createGatehouse({ url, token }));
 * const runShell = tool({
 *   name: 'run_shell',
 *   description: 'Run a shell command',
 *   parameters: z.object({ command: z.string() }),
 *   needsApproval: approvals.needsApproval('shell.execute'),
 *   execute: approvals.execute('shell.execute', async ({ command }) => sh(command)),
 * });
 * let result = await run(agent, 'Clean the build directory');
 * while (result.interruptions.length > 0) {
 *   await approvals.resolve(result);
 *   result = await run(agent, result.state);
 * }
 */
export function gatehouseAgentApprovals(gate: Gatehouse): OpenAiAgentsGatehouse {
  const calls = createToolCallApprovals(gate);
  return Object.freeze({
    needsApproval<I>(action: string, options?: ToolActionOptions<I>) {
      return (_runContext: RunContext, input: I, callId?: string) =>
        calls.needsApproval(action, input, callId, options);
    },
    execute<I, T, C = unknown>(
      action: string,
      fn: (input: I, runContext?: RunContext<C>, details?: ToolCallDetailsLike) => T | Promise<T>,
      options?: ToolActionOptions<I>,
    ) {
      return (input: I, runContext?: RunContext<C>, details?: ToolCallDetailsLike) =>
        calls.execute(
          action,
          input,
          details?.toolCall?.callId,
          () => fn(input, runContext, details),
          options,
        );
    },
    async resolve(result: {
      readonly state: ApprovalState;
      readonly interruptions: readonly RunToolApprovalItem[];
    }) {
      const unresolved: RunToolApprovalItem[] = [];
      let approved = 0;
      let rejected = 0;
      // Reviewers may answer in any order: every request waits at once.
      await Promise.all(
        result.interruptions.map(async (item) => {
          const callId = callIdOf(item);
          if (callId === undefined || !calls.knows(callId)) {
            unresolved.push(item);
            return;
          }
          const decision = await calls.decide(callId);
          if (decision.approved) {
            result.state.approve(item);
            approved++;
          } else {
            result.state.reject(item, { message: decision.message });
            rejected++;
          }
        }),
      );
      return { approved, rejected, unresolved };
    },
  });
}
