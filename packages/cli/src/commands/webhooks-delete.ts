import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { printJson } from '../output.js';

/** `gatehouse webhooks delete <id>`: remove a subscription and its delivery log. */
export const webhooksDeleteCommand: CliCommand = {
  name: 'webhooks delete',
  summary: 'Delete a webhook subscription and its delivery log (the admin)',
  help: `Usage: gatehouse webhooks delete <id> [options]

Deletes the subscription; nothing more is sent to it. Exit 1 when there is no
such webhook.

Options:
${API_OPTIONS_HELP}
  --json                 print {"id","deleted":true}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [id] = expectPositionals(this.name, positionals, ['id']) as [string];
    const client = await connectApi(io, values.server);
    await client.call('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`);
    if (values.json) printJson(io, { id, deleted: true });
    else io.out(`Deleted webhook ${id}\n`);
    return EXIT.ok;
  },
};
