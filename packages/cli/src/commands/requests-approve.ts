import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { postRequestDecision } from '../request-decision.js';

/** `gatehouse requests approve <id>`. */
export const requestsApproveCommand: CliCommand = {
  name: 'requests approve',
  summary: 'Approve a request',
  help: `Usage: gatehouse requests approve <id> [--comment <text>] [options]

Records your approval for the request's current stage. Refused (exit 1) when you
are not eligible (your own request, your agent's, a stage for another role or
team), have already voted, or the request is no longer pending.

Options:
  --comment <text>       why, for the record
${API_OPTIONS_HELP}
  --json                 print the request after the vote`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, comment: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [id] = expectPositionals(this.name, positionals, ['id']) as [string];
    const client = await connectApi(io, values.server);
    const body = {
      decision: 'approve',
      ...(values.comment === undefined ? {} : { comment: values.comment }),
    };
    await postRequestDecision(
      io,
      client,
      id,
      { path: 'reviews', body, done: 'Approved' },
      values.json === true,
    );
    return EXIT.ok;
  },
};
