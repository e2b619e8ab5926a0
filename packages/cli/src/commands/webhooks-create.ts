import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import type { WebhookView } from '../format-webhook.js';
import { boxed, printJson } from '../output.js';

/** `gatehouse webhooks create <url> --event <type>…`: subscribe a URL; the secret is shown once. */
export const webhooksCreateCommand: CliCommand = {
  name: 'webhooks create',
  summary: 'Subscribe a URL to events (the admin); prints the signing secret once',
  help: `Usage: gatehouse webhooks create <url> --event <type> [--event <type>…] [options]

Subscribes an http(s) URL to audit events, signed per the Standard Webhooks spec.
The signing secret (whsec_…) is printed this once: store it now. Loopback and
private targets are refused (exit 1) unless the server allows them.

Options:
  --event <type>         an event type such as request.created, or "*" for all
                         (repeat for several)
${API_OPTIONS_HELP}
  --json                 print {"webhook":{…},"secret"}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, event: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [url] = expectPositionals(this.name, positionals, ['url']) as [string];
    const eventTypes = values.event ?? [];
    if (eventTypes.length === 0) {
      throw new CliError('--event: name at least one event type, or "*" for all', EXIT.usage);
    }
    const client = await connectApi(io, values.server);
    const { body } = await client.call<{ webhook: WebhookView; secret: string }>('POST', '/v1/webhooks', {
      body: { url, eventTypes },
    });
    if (values.json) printJson(io, body);
    else {
      io.out(`Webhook ${body.webhook.id} → ${body.webhook.url}\n`);
      io.out(boxed([`Signing secret: ${body.secret}`, 'Shown once: store it now.']));
    }
    return EXIT.ok;
  },
};
