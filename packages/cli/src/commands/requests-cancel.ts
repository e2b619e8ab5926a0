import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { postRequestDecision } from '../request-decision.js';

/** `gatehouse requests cancel <id>`. */
export const requestsCancelCommand: CliCommand = {
  name: 'requests cancel',
  summary: 'Cancel a pending request you made',
  help: `Usage: gatehouse requests cancel <id> [options]

Cancels a pending request (its requester, or the user it was made for). A cancelled request
never yields a grant.

Options:
${API_OPTIONS_HELP}
  --json                 print the request after cancelling`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [id] = expectPositionals(this.name, positionals, ['id']) as [string];
    const client = await connectApi(io, values.server);
    await postRequestDecision(io, client, id, { path: 'cancel', done: 'Cancelled' }, values.json === true);
    return EXIT.ok;
  },
};
