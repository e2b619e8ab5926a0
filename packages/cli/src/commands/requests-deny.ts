import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { postRequestDecision } from '../request-decision.js';

/** `gatehouse requests deny <id> --comment <text>`. */
export const requestsDenyCommand: CliCommand = {
  name: 'requests deny',
  summary: 'Deny a request (a comment is required)',
  help: `Usage: gatehouse requests deny <id> --comment <text> [options]

Records your denial. The comment is required: the requester is told why.

Options:
  --comment <text>       why (required)
${API_OPTIONS_HELP}
  --json                 print the request after the vote`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, comment: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [id] = expectPositionals(this.name, positionals, ['id']) as [string];
    if (values.comment === undefined || values.comment.trim() === '') {
      throw new CliError('gatehouse requests deny: --comment <text> is required (the requester is told why)');
    }
    const client = await connectApi(io, values.server);
    const body = { decision: 'deny', comment: values.comment };
    await postRequestDecision(
      io,
      client,
      id,
      { path: 'reviews', body, done: 'Denied' },
      values.json === true,
    );
    return EXIT.ok;
  },
};
