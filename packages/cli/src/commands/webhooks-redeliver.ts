import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import type { WebhookDeliveryView } from '../format-webhook.js';
import { printJson } from '../output.js';

/** `gatehouse webhooks redeliver <deliveryId>`: send an event again now. */
export const webhooksRedeliverCommand: CliCommand = {
  name: 'webhooks redeliver',
  summary: 'Send a delivery again now, with the same webhook-id (the admin)',
  help: `Usage: gatehouse webhooks redeliver <deliveryId> [options]

Queues a new attempt at the delivery's event, due now. The receiver sees the same
webhook-id as before, so it can deduplicate. Exit 1 when there is no such delivery.

Options:
${API_OPTIONS_HELP}
  --json                 print {"delivery":{…}} (the new attempt)`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [deliveryId] = expectPositionals(this.name, positionals, ['deliveryId']) as [string];
    const client = await connectApi(io, values.server);
    const { body } = await client.call<{ delivery: WebhookDeliveryView }>(
      'POST',
      `/v1/webhooks/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
    );
    if (values.json) printJson(io, body);
    else
      io.out(
        `Queued attempt ${body.delivery.attempt} (${body.delivery.id}) of event ${body.delivery.eventSeq}\n`,
      );
    return EXIT.ok;
  },
};
