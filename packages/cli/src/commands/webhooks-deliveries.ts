import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { formatDeliveryTable, type WebhookDeliveryView } from '../format-webhook.js';
import { printJson } from '../output.js';

/** `gatehouse webhooks deliveries <id>`: a subscription's delivery log. */
export const webhooksDeliveriesCommand: CliCommand = {
  name: 'webhooks deliveries',
  summary: "Show a webhook's delivery log, one line per attempt, newest first (the admin)",
  help: `Usage: gatehouse webhooks deliveries <id> [--limit <n>] [options]

Shows the delivery log of a subscription: one line per attempt with the event,
its status (pending, delivered, failed, dead), the receiver's HTTP status and
any error. Send one again with gatehouse webhooks redeliver <deliveryId>.

Options:
  --limit <n>            at most n attempts (1-500, default 100)
${API_OPTIONS_HELP}
  --json                 print {"deliveries":[…]}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, limit: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [id] = expectPositionals(this.name, positionals, ['id']) as [string];
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 500)) {
      throw new CliError(`--limit: expected a whole number from 1 to 500, got "${values.limit}"`, EXIT.usage);
    }
    const client = await connectApi(io, values.server);
    const { body } = await client.call<{ deliveries: WebhookDeliveryView[] }>(
      'GET',
      `/v1/webhooks/${encodeURIComponent(id)}/deliveries`,
      { query: { limit } },
    );
    if (values.json) printJson(io, body);
    else if (body.deliveries.length === 0) io.out('No deliveries yet\n');
    else io.out(formatDeliveryTable(body.deliveries));
    return EXIT.ok;
  },
};
