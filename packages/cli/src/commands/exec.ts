import { isDeepStrictEqual, parseArgs } from 'node:util';
import type { ApiClient } from '../api/api-client.js';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { type CliCommand, type CliIo, signalOf } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { parseDuration } from '../duration.js';
import { type ExecApproval, isRefusal, obtainExecGrant } from '../exec/exec-approval.js';
import { type CommandResult, runApprovedCommand } from '../exec/run-approved-command.js';
import { describeWaitingFor } from '../format-request.js';
import { oneLine, printJson } from '../output.js';

interface ConsumedGrant {
  readonly requestId: string;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
}

const CONTEXT_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function parseContext(pairs: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = at === -1 ? '' : pair.slice(0, at);
    if (!CONTEXT_KEY.test(key))
      throw new CliError(`--context: expected key=value, got "${pair}"`, EXIT.usage);
    if (key in context) throw new CliError(`--context: "${key}" is given twice`, EXIT.usage);
    context[key] = pair.slice(at + 1);
  }
  return context;
}

/** Presents the grant with the exact payload; the server refuses a grant for anything else. */
async function consumeGrant(client: ApiClient, grant: string, argv: readonly string[]): Promise<void> {
  const { body } = await client.call<ConsumedGrant>('POST', '/v1/grants/consume', {
    body: { grant, action: 'shell.execute', params: { argv } },
  });
  // The server compared the payload hash already; checking again costs nothing and means a
  // server bug can never make us run something other than what was approved.
  if (body.action !== 'shell.execute' || !isDeepStrictEqual(body.params, { argv })) {
    throw new CliError('the consumed grant is for a different command; not running it', EXIT.notRun);
  }
}

async function reportOutcome(
  io: CliIo,
  client: ApiClient,
  requestId: string,
  result: CommandResult,
): Promise<void> {
  try {
    await client.withoutInterrupt().call('POST', `/v1/requests/${encodeURIComponent(requestId)}/outcome`, {
      body: { result: result.succeeded ? 'succeeded' : 'failed', detail: result.detail },
    });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.err(`gatehouse exec: the command ran, but its outcome was not recorded: ${error.message}\n`);
  }
}

function notRun(io: CliIo, approval: Extract<ExecApproval, { kind: 'not-run' }>, json: boolean): number {
  const exitCode = approval.status === 'interrupted' ? EXIT.interrupted : EXIT.notRun;
  io.err(`gatehouse exec: not run: ${approval.reason}\n`);
  if (json) {
    printJson(io, {
      ...(approval.requestId === undefined ? {} : { requestId: approval.requestId }),
      status: approval.status,
      ran: false,
      reason: approval.reason,
      exitCode,
    });
  }
  return exitCode;
}

/** `gatehouse exec -- <argv…>`: run a command only once it is approved, exactly as approved, once. */
export const execCommand: CliCommand = {
  name: 'exec',
  summary: 'Run a command only once approved (shell.execute), exactly as approved, once',
  help: `Usage: gatehouse exec [--reason <text>] [--timeout <duration>] [--context key=value]... [options] -- <command> [args...]

Asks the server for the action shell.execute with params {"argv": [...]} (the
exact argument vector), then:
  - allowed: runs it at once;
  - approval required: prints the request id and who must approve on stderr,
    waits (long-polling the server) until it is decided or --timeout passes;
  - approved: consumes the single-use grant for exactly this argv, and only then
    runs the command (no shell: nothing is expanded again), with the terminal
    passed through, and reports the outcome (exit code) to the server;
  - denied, expired, cancelled, refused, or timed out (the request is then
    cancelled): does not run it, prints the reason on stderr and exits 126.
If the server cannot be reached it never runs the command (exit 4): it fails closed.

Options:
  --reason <text>        why, shown to reviewers (as claimed by you, not verified)
  --timeout <duration>   stop waiting after this long, e.g. 10m (default: until the server decides)
  --context <key=value>  a context field, e.g. environment=prod (repeatable)
${API_OPTIONS_HELP}
  --json                 print {"requestId","status","ran","exitCode","reason"?} on stdout when done

Exit codes: the command's own exit code when it ran (128+n when killed by signal
n, 127 when it could not be found); 126 not run (denied, expired, cancelled,
refused, timed out); 130 interrupted while waiting (the request is cancelled);
2 usage; 4 server unreachable; 5 authentication failed.`,
  async run(args, io) {
    const separator = args.indexOf('--');
    const argv = separator === -1 ? [] : args.slice(separator + 1);
    const { values, positionals } = parseArgs({
      args: separator === -1 ? [...args] : args.slice(0, separator),
      options: {
        ...SERVER_OPTION,
        reason: { type: 'string' },
        timeout: { type: 'string' },
        context: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0 || argv.length === 0 || argv[0] === '') {
      throw new CliError('gatehouse exec: name the command after --, e.g. gatehouse exec -- git push');
    }
    const timeoutMs = values.timeout === undefined ? undefined : parseDuration('timeout', values.timeout);
    const context = parseContext(values.context);
    const json = values.json === true;
    const client = await connectApi(io, values.server);

    let approval: ExecApproval | undefined;
    try {
      approval = await obtainExecGrant(
        client,
        { argv, context, ...(values.reason === undefined ? {} : { reason: values.reason }) },
        {
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          signal: signalOf(io),
          onPending: (request) =>
            io.err(`gatehouse exec: request ${request.id} is waiting for ${describeWaitingFor(request)}\n`),
        },
      );
      if (approval.kind === 'not-run') return notRun(io, approval, json);
      await consumeGrant(client, approval.grant, argv);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const reason = oneLine(`refused: ${error.message}`);
      return notRun(
        io,
        { kind: 'not-run', status: 'refused', reason, ...(approval && { requestId: approval.requestId }) },
        json,
      );
    }

    if (approval.waited) io.err(`gatehouse exec: request ${approval.requestId} approved; running it\n`);
    const result = await runApprovedCommand(argv);
    await reportOutcome(io, client, approval.requestId, result);
    if (json) {
      printJson(io, {
        requestId: approval.requestId,
        status: 'approved',
        ran: result.started,
        exitCode: result.exitCode,
      });
    }
    return result.exitCode;
  },
};
