import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { formatWebhookTable, type WebhookView } from '../format-webhook.js';
import { printJson } from '../output.js';

/** `gatehouse webhooks ls`: every webhook subscription (the admin). */
export const webhooksLsCommand: CliCommand = {
  name: 'webhooks ls',
  summary: 'List webhook subscriptions (the admin; secrets are never listed)',
  help: `Usage: gatehouse webhooks ls [options]

Lists every webhook subscription: id, target URL, event types, whether it is
active, and when it was created. Needs the admin (a token with the admin scope).

Options:
${API_OPTIONS_HELP}
  --json                 print {"webhooks":[…]}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    const client = await connectApi(io, values.server);
    const { body } = await client.call<{ webhooks: WebhookView[] }>('GET', '/v1/webhooks');
    if (values.json) printJson(io, body);
    else if (body.webhooks.length === 0) io.out('No webhooks\n');
    else io.out(formatWebhookTable(body.webhooks));
    return EXIT.ok;
  },
};
