import { parseArgs } from 'node:util';
import type { RequestView } from '@gatehouse/server';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals, oneOf } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { formatRequestTable } from '../format-request.js';
import { printJson } from '../output.js';

const STATUSES = ['pending', 'approved', 'denied', 'expired', 'cancelled'] as const;

/** `gatehouse requests ls`: the queue, as the caller may see it. */
export const requestsLsCommand: CliCommand = {
  name: 'requests ls',
  summary: 'List approval requests (id, status, action, requester, risk, age)',
  help: `Usage: gatehouse requests ls [--status <status>] [--action <name>] [--awaiting-me] [--limit <n>] [options]

Lists the requests you may see, newest first.

Options:
  --status <status>      pending, approved, denied, expired or cancelled
  --action <name>        only this action
  --awaiting-me          only requests you can vote on now
  --limit <n>            at most n requests (1-200, default 50)
${API_OPTIONS_HELP}
  --json                 print {"requests":[…],"nextCursor"?}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...SERVER_OPTION,
        status: { type: 'string' },
        action: { type: 'string' },
        'awaiting-me': { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    const status = values.status === undefined ? undefined : oneOf('--status', values.status, STATUSES);
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 200)) {
      throw new CliError(`--limit: expected a whole number from 1 to 200, got "${values.limit}"`, EXIT.usage);
    }
    const client = await connectApi(io, values.server);
    const { body } = await client.call<{ requests: RequestView[]; nextCursor?: string }>(
      'GET',
      '/v1/requests',
      {
        query: { status, action: values.action, awaiting: values['awaiting-me'] ? 'me' : undefined, limit },
      },
    );
    if (values.json) printJson(io, body);
    else if (body.requests.length === 0) io.out('No requests\n');
    else io.out(formatRequestTable(body.requests, Date.now()));
    return EXIT.ok;
  },
};
