import type { ToolApprovalResponse, ToolExecutionOptions, ToolModelMessage } from 'ai';
import type { Gatehouse } from '../gatehouse-client.js';
import { createToolCallApprovals, type ToolActionOptions } from '../tool-call-approvals.js';

// Vercel AI SDK 6: a tool's `needsApproval` asks Gatehouse's policy; the run's
// `tool-approval-request` parts are answered with Gatehouse's decisions; the tool's `execute`
// consumes the grant before it runs. Only types are imported from `ai`: nothing of it is
// loaded at run time by this module.

/**
 * The part of a `tool-approval-request` output this adapter reads.
 * @example const mine = result.content.filter((p): p is ToolApprovalRequestPart => p.type === 'tool-approval-request');
 */
export interface ToolApprovalRequestPart {
  readonly type: 'tool-approval-request';
  readonly approvalId: string;
  readonly toolCall: { readonly toolCallId: string; readonly toolName: string };
}

/**
 * Gatehouse as the approver of an AI SDK agent's tools (see `gatehouseToolApprovals`).
 * @example const approvals: AiSdkGatehouse = gatehouseToolApprovals(gate);
 */
export interface AiSdkGatehouse {
  /**
   * A tool's `needsApproval`: true unless the policy allows the call outright (`POST
   * /v1/evaluate`; a denial is also answered through the approval, so the model hears why).
   * @example tool({ inputSchema, needsApproval: approvals.needsApproval('shell.execute'), execute })
   */
  needsApproval<I>(
    action: string,
    options?: ToolActionOptions<I>,
  ): (input: I, options: { readonly toolCallId: string }) => Promise<boolean>;
  /**
   * A tool's `execute`, run only after its grant is consumed with this exact input. A denial,
   * expiry or refusal becomes the tool's output: a sentence the model can act on.
   * @example execute: approvals.execute('shell.execute', async ({ command }) => sh(command))
   */
  execute<I, T>(
    action: string,
    fn: (input: I, options: ToolExecutionOptions) => T | Promise<T>,
    options?: ToolActionOptions<I>,
  ): (input: I, options: ToolExecutionOptions) => Promise<T | string>;
  /**
   * Answers the `tool-approval-request` parts of a result with Gatehouse's decisions (submit,
   * then wait for people): the tool message to append before calling the model again, or
   * undefined when none of the requests is Gatehouse's (those are left to you).
   * @example
   * messages.push(...result.response.messages);
   * const answers = await approvals.respond(result.content);
   * if (answers) messages.push(answers); else break;
   */
  respond(content: readonly unknown[]): Promise<ToolModelMessage | undefined>;
}

function isApprovalRequest(part: unknown): part is ToolApprovalRequestPart {
  if (typeof part !== 'object' || part === null) return false;
  const { type, approvalId, toolCall } = part as Record<string, unknown>;
  return (
    type === 'tool-approval-request' &&
    typeof approvalId === 'string' &&
    typeof toolCall === 'object' &&
    toolCall !== null &&
    typeof (toolCall as Record<string, unknown>).toolCallId === 'string'
  );
}

/**
 * Puts an AI SDK 6 agent's tools behind Gatehouse.
 *
 * @example
 * const approvals = gatehouseToolApprovals(createGatehouse({ url, token }));
 * const shell = tool({
 *   description: 'Run a shell command',
 *   inputSchema: z.object({ command: z.string() }),
 *   needsApproval: approvals.needsApproval('shell.execute'),
 *   execute: approvals.execute('shell.execute', async ({ command }) => sh(command)),
 * });
 * for (;;) {
 *   const result = await generateText({ model, tools: { shell }, messages });
 *   messages.push(...result.response.messages);
 *   const answers = await approvals.respond(result.content);
 *   if (answers === undefined) break;
 *   messages.push(answers);
 * }
 */
export function gatehouseToolApprovals(gate: Gatehouse): AiSdkGatehouse {
  const calls = createToolCallApprovals(gate);
  return Object.freeze({
    needsApproval<I>(action: string, options?: ToolActionOptions<I>) {
      return (input: I, callOptions: { readonly toolCallId: string }) =>
        calls.needsApproval(action, input, callOptions.toolCallId, options);
    },
    execute<I, T>(
      action: string,
      fn: (input: I, options: ToolExecutionOptions) => T | Promise<T>,
      options?: ToolActionOptions<I>,
    ) {
      return (input: I, execution: ToolExecutionOptions) =>
        calls.execute(action, input, execution.toolCallId, () => fn(input, execution), options);
    },
    async respond(content: readonly unknown[]) {
      const requests = content
        .filter(isApprovalRequest)
        .filter((part) => calls.knows(part.toolCall.toolCallId));
      if (requests.length === 0) return undefined;
      // Reviewers may answer in any order: every request waits at once.
      const answers = await Promise.all(
        requests.map(async (part): Promise<ToolApprovalResponse> => {
          const decision = await calls.decide(part.toolCall.toolCallId);
          return decision.approved
            ? { type: 'tool-approval-response', approvalId: part.approvalId, approved: true }
            : {
                type: 'tool-approval-response',
                approvalId: part.approvalId,
                approved: false,
                reason: decision.message,
              };
        }),
      );
      return { role: 'tool' as const, content: answers };
    },
  });
}
