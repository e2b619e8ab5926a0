import { parseArgs } from 'node:util';
import {
  type ActionInput,
  actionNameProblem,
  compilePolicy,
  explainAction,
  type Principal,
  parsePolicy,
} from '@gatehouse/core';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { formatExplanation } from '../format-explanation.js';
import { readPolicyFile } from '../read-policy-file.js';

function parseJsonObject(flag: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--${flag}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`--${flag}: expected a JSON object such as '{"command":"ls"}'`);
  }
  return value as Record<string, unknown>;
}

/** `agent:ci-bot`, `user:alice` or a bare id (an agent). */
function parseRequester(text: string, teams: readonly string[]): Principal {
  const match = /^(?:(agent|user):)?([A-Za-z0-9_.@-]+)$/.exec(text);
  if (match === null) throw new CliError(`--requester: expected agent:<id> or user:<id>, got "${text}"`);
  const kind = (match[1] ?? 'agent') as 'agent' | 'user';
  return { kind, id: match[2] as string, teams, ...(kind === 'user' ? { role: 'user' as const } : {}) };
}

/** `gatehouse policy explain <file> --action <name>`: which rules matched, which almost did, and the decision. */
export const policyExplainCommand: CliCommand = {
  name: 'policy explain',
  summary: 'Show which rules match an action, which almost match, and the decision',
  help: `Usage: gatehouse policy explain <file> --action <name> [options]

Evaluates one action against the policy file and prints every rule that matched
(and the conditions that held), every rule whose action matched but a later
condition failed (with that condition), the shell parts considered, and the
decision with its full requirement. Exits 0 after explaining, 1 when the policy
file has errors, 2 on a bad option, 3 when the file cannot be read.

Options:
  --action <name>        the action, e.g. shell.execute (required)
  --params <json>        the action's params, e.g. '{"command":"cd x && git push --force"}'
  --context <json>       context fields, e.g. '{"environment":"prod","team":"infra"}'
  --requester <who>      agent:<id> or user:<id> (default agent:cli)
  --team <name>          a team the requester belongs to (repeatable)
  --json                 print the explanation as JSON`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        action: { type: 'string' },
        params: { type: 'string' },
        context: { type: 'string' },
        requester: { type: 'string' },
        team: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length > 0)
      throw new CliError('gatehouse policy explain: name exactly one policy file');
    if (values.action === undefined) throw new CliError('gatehouse policy explain: --action is required');
    const actionProblem = actionNameProblem(values.action);
    if (actionProblem !== undefined) throw new CliError(`--action: "${values.action}" ${actionProblem}`);
    const input: ActionInput = {
      action: values.action,
      params: parseJsonObject('params', values.params),
      context: parseJsonObject('context', values.context),
      requester: parseRequester(values.requester ?? 'agent:cli', values.team ?? []),
    };
    const source = await readPolicyFile(file);
    const parsed = parsePolicy(source.text, file);
    if (!parsed.ok) {
      for (const { position, code, message } of parsed.diagnostics) {
        io.err(`${position.file}:${position.line}:${position.column}: error[${code}]: ${message}\n`);
      }
      return EXIT.problems;
    }
    const explanation = explainAction(compilePolicy(parsed.policy, source.version), input);
    io.out(values.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(input, explanation));
    return EXIT.ok;
  },
};
