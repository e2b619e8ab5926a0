import {
  type Gatehouse,
  type GatehouseDenial,
  GatehouseUnavailable,
  type JsonObject,
  type RequestView,
} from '@gatehouse/sdk';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolRequest,
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { describeDuration } from './duration.js';

/**
 * What a gated tools/call needs.
 * @example const deps: GatedToolCallDeps = { name: 'fs', upstream, gate, timeoutMs: 600_000, progressIntervalMs: 15_000 };
 */
export interface GatedToolCallDeps {
  /** The gateway's name: the `<name>` of `mcp.<name>.<tool>`. */
  readonly name: string;
  readonly upstream: Client;
  readonly gate: Gatehouse;
  /** How long a call may wait for people before it gives up. */
  readonly timeoutMs: number;
  /** How often a waiting call tells the client it is still waiting (when it asked for progress). */
  readonly progressIntervalMs: number;
  /** Context sent with every action (e.g. `{ environment: 'prod' }`). */
  readonly context?: JsonObject;
  /** The upstream's tool names (cached until its list changes), to refuse tools whose actions clash. */
  readonly toolNames?: () => Promise<readonly string[]>;
}

const SEGMENT = /^[a-z0-9_-]+$/;
const NOT_SEGMENT_CHARS = /[^a-z0-9_-]/g;

/**
 * True when `name` can be one segment of a canonical action name (lowercase ASCII
 * letters, digits, `_` and `-`).
 * @example isActionSegment('github') // true; isActionSegment('GitHub') // false
 */
export function isActionSegment(name: string): boolean {
  return SEGMENT.test(name);
}

/**
 * The Gatehouse action of a tool: `mcp.<server>.<tool>`, in the one canonical spelling
 * (ADR 0006). MCP tool names are often mixedCase: word boundaries become `_` and letters
 * are lowercased (`readFile` and `read_file` are both `read_file`); compatibility forms
 * are folded; a tool name's dots stay segment separators; any other character becomes `_`.
 * Two tools of one server that map to one action are refused (see `toolActionClash`).
 * @example toolAction('fs', 'writeFile') // 'mcp.fs.write_file'
 */
export function toolAction(server: string, tool: string): string {
  const segments = tool
    .normalize('NFKC')
    .split('.')
    .map(
      (segment) =>
        segment
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
          .toLowerCase()
          .replace(NOT_SEGMENT_CHARS, '_') || '_',
    );
  return ['mcp', server, ...segments].join('.');
}

/**
 * The other tools of `tools` that map to the same action as `tool`: a call to any of
 * them would be judged as the others, so the gateway refuses them all.
 * @example toolActionClash('fs', 'readFile', ['readFile', 'read_file']) // ['read_file']
 */
export function toolActionClash(server: string, tool: string, tools: readonly string[]): string[] {
  const action = toolAction(server, tool);
  return tools.filter((other) => other !== tool && toolAction(server, other) === action);
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** The words of a tool error a person (or model) reads, first text part only, bounded. */
function errorText(result: CallToolResult): string | undefined {
  const first = result.content.find((part) => part.type === 'text');
  return first?.type === 'text' ? first.text.slice(0, 1_000) : undefined;
}

function refusalText(deps: GatedToolCallDeps, action: string, denial: GatehouseDenial): string {
  if (denial instanceof GatehouseUnavailable && denial.reason === 'timeout') {
    const request = denial.requestId === undefined ? '' : ` (request ${denial.requestId})`;
    return (
      `Timed out after ${describeDuration(deps.timeoutMs)} awaiting approval of ${action} in Gatehouse${request}. ` +
      'The request was withdrawn and the tool did not run. Ask the user to get it reviewed, then try again.'
    );
  }
  return denial.toModelMessage();
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Handles one tools/call through Gatehouse as the action `mcp.<name>.<tool>` with the call's
 * arguments as params: an allowed call passes through once its grant is consumed; a denied,
 * expired, cancelled, refused or timed-out one returns a tool error (`isError: true`) saying
 * why; a pending one waits, sending progress notifications when the client gave a token.
 * @example server.setRequestHandler(CallToolRequestSchema, (request, extra) => handleGatedToolCall(deps, request.params, extra));
 */
export async function handleGatedToolCall(
  deps: GatedToolCallDeps,
  params: CallToolRequest['params'],
  extra: Extra,
): Promise<CallToolResult> {
  const action = toolAction(deps.name, params.name);
  const clash =
    deps.toolNames === undefined ? [] : toolActionClash(deps.name, params.name, await deps.toolNames());
  if (clash.length > 0) {
    return errorResult(
      `The tools ${[params.name, ...clash].map((name) => JSON.stringify(name)).join(' and ')} both become the ` +
        `Gatehouse action ${action}, so neither can be told apart by policy; the gateway refuses them.`,
    );
  }
  const args: JsonObject = params.arguments ?? {};
  const progressToken = extra._meta?.progressToken;
  let progress = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const tell = (message: string) => {
    if (progressToken === undefined) return;
    progress++;
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message } })
      .catch(() => {});
  };
  const onPending = (request: RequestView) => {
    const waiting = `Waiting for approval of ${action} in Gatehouse (request ${request.id})`;
    tell(waiting);
    ticker = setInterval(() => tell(`${waiting}: still waiting`), deps.progressIntervalMs);
  };

  try {
    const result = await deps.gate.guardResult(
      action,
      args,
      // The upstream gets the arguments the grant binds, as the server judged them.
      (bound) =>
        deps.upstream.callTool({ name: params.name, arguments: bound }, undefined, { signal: extra.signal }),
      {
        timeout: deps.timeoutMs,
        signal: extra.signal,
        onPending,
        ...(deps.context === undefined ? {} : { context: deps.context }),
        outcomeOf: (value) => {
          const called = value as CallToolResult;
          if (called.isError !== true) return { result: 'succeeded' };
          const detail = errorText(called);
          return { result: 'failed', ...(detail === undefined ? {} : { detail }) };
        },
      },
    );
    return result.ok
      ? (result.value as CallToolResult)
      : errorResult(refusalText(deps, action, result.denial));
  } finally {
    clearInterval(ticker);
  }
}
