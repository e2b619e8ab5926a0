import { mcpProxyCommand } from '@gatehouse/mcp-gateway';
import { wantsJson } from './cli-args.js';
import type { CliCommand, CliIo } from './cli-command.js';
import { EXIT, exitCodeFor } from './cli-error.js';
import { agentActsForCommand } from './commands/agent-acts-for.js';
import { agentCreateCommand } from './commands/agent-create.js';
import { auditExportCommand } from './commands/audit-export.js';
import { auditVerifyCommand } from './commands/audit-verify.js';
import { execCommand } from './commands/exec.js';
import { groupCreateCommand } from './commands/group-create.js';
import { initCommand } from './commands/init.js';
import { loginCommand } from './commands/login.js';
import { logoutCommand } from './commands/logout.js';
import { policyApplyCommand } from './commands/policy-apply.js';
import { policyExplainCommand } from './commands/policy-explain.js';
import { policyLintCommand } from './commands/policy-lint.js';
import { policyTestCommand } from './commands/policy-test.js';
import { requestsApproveCommand } from './commands/requests-approve.js';
import { requestsCancelCommand } from './commands/requests-cancel.js';
import { requestsDenyCommand } from './commands/requests-deny.js';
import { requestsLsCommand } from './commands/requests-ls.js';
import { requestsShowCommand } from './commands/requests-show.js';
import { requestsWatchCommand } from './commands/requests-watch.js';
import { serveCommand } from './commands/serve.js';
import { teamAddMemberCommand } from './commands/team-add-member.js';
import { teamCreateCommand } from './commands/team-create.js';
import { tokenCreateCommand } from './commands/token-create.js';
import { userCreateCommand } from './commands/user-create.js';
import { userListCommand } from './commands/user-list.js';
import { userSetEmailCommand } from './commands/user-set-email.js';
import { userSetRoleCommand } from './commands/user-set-role.js';
import { webhooksCreateCommand } from './commands/webhooks-create.js';
import { webhooksDeleteCommand } from './commands/webhooks-delete.js';
import { webhooksDeliveriesCommand } from './commands/webhooks-deliveries.js';
import { webhooksLsCommand } from './commands/webhooks-ls.js';
import { webhooksRedeliverCommand } from './commands/webhooks-redeliver.js';
import { oneLine } from './output.js';

/** Every command, in the order `--help` lists them, in groups. */
export const COMMAND_GROUPS: readonly { readonly title: string; readonly commands: readonly CliCommand[] }[] =
  [
    { title: 'Server host', commands: [serveCommand, initCommand] },
    {
      title: 'Administration (on the server host, as the admin)',
      commands: [
        userCreateCommand,
        userListCommand,
        userSetRoleCommand,
        userSetEmailCommand,
        teamCreateCommand,
        teamAddMemberCommand,
        groupCreateCommand,
        agentCreateCommand,
        agentActsForCommand,
        tokenCreateCommand,
      ],
    },
    {
      title: 'Over the API',
      commands: [
        loginCommand,
        logoutCommand,
        requestsLsCommand,
        requestsShowCommand,
        requestsApproveCommand,
        requestsDenyCommand,
        requestsCancelCommand,
        requestsWatchCommand,
        execCommand,
        mcpProxyCommand,
      ],
    },
    {
      title: 'Webhooks (over the API)',
      commands: [
        webhooksLsCommand,
        webhooksCreateCommand,
        webhooksDeleteCommand,
        webhooksDeliveriesCommand,
        webhooksRedeliverCommand,
      ],
    },
    {
      title: 'Policy',
      commands: [policyLintCommand, policyExplainCommand, policyTestCommand, policyApplyCommand],
    },
    { title: 'Audit (on the server host)', commands: [auditVerifyCommand, auditExportCommand] },
  ];

/** Every command. */
export const COMMANDS: readonly CliCommand[] = COMMAND_GROUPS.flatMap((group) => group.commands);

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const groups = COMMAND_GROUPS.map(
    (group) =>
      `${group.title}:\n${group.commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}`,
  );
  return `Usage: gatehouse <command> [options]

${groups.join('\n\n')}

Run gatehouse <command> --help for a command's options. Every command takes
--json and then prints exactly one JSON document on stdout (requests watch: one
JSON line per event); errors are one line on stderr.

Exit codes:
  0    success
  1    problems found, or refused or denied (lint errors, a failing policy test,
       a tampered audit log, a 4xx answer such as 403, 404 or 409)
  2    usage error (unknown command or option, bad value, missing argument)
  3    a file could not be read or written
  4    the server (or, on the host, the database) is unreachable, or answered 5xx
  5    authentication failed (bad or missing token; 401/403/429 on login)
  126  exec: the command did not run (denied, expired, cancelled, refused, timed out)
  130  interrupted while waiting
  exec otherwise exits with the command's own exit code.

Environment: GATEHOUSE_URL and GATEHOUSE_TOKEN for the API commands; the server's
GATEHOUSE_* variables and DATABASE_URL for serve, init and the host commands.
`;
}

function reportError(io: CliIo, command: CliCommand, args: readonly string[], error: unknown): number {
  const known = exitCodeFor(error);
  // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
  const parseError = ((error as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS');
  const exitCode = known ?? (parseError ? EXIT.usage : EXIT.problems);
  const message = oneLine((error as Error).message ?? String(error));
  const prefix = message.startsWith('gatehouse ') ? '' : `gatehouse ${command.name}: `;
  const unexpected = known === undefined && !parseError ? 'unexpected error: ' : '';
  io.err(`${prefix}${unexpected}${message}\n`);
  // GATEHOUSE_DEBUG shows what the one line leaves out: the stack and the causes (driver errors).
  if ((io.env ?? process.env).GATEHOUSE_DEBUG) {
    for (let cause: unknown = error; cause !== undefined; cause = (cause as Error).cause) {
      io.err(`${(cause as Error).stack ?? String(cause)}\n`);
    }
  }
  if (wantsJson(args)) {
    const code = (error as { code?: unknown }).code;
    io.out(
      `${JSON.stringify({ error: { message, exitCode, ...(typeof code === 'string' ? { code } : {}) } })}\n`,
    );
  }
  return exitCode;
}

/** Run the CLI in process: resolve the command from its words, run it, map errors to exit codes. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(usage());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => {
    const words = candidate.name.split(' ');
    return words.every((word, index) => argv[index] === word);
  });
  if (command === undefined) {
    io.err(`gatehouse: unknown command "${argv.slice(0, 2).join(' ')}" (run gatehouse --help)\n`);
    return EXIT.usage;
  }
  const args = argv.slice(command.name.split(' ').length);
  const ours = args.indexOf('--') === -1 ? args : args.slice(0, args.indexOf('--'));
  if (ours.includes('--help') || ours.includes('-h')) {
    io.out(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportError(io, command, args, error);
  }
}
