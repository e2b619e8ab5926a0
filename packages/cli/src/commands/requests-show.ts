import { parseArgs } from 'node:util';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { formatRequestDetail, type RequestDetail } from '../format-request.js';
import { printJson } from '../output.js';

/** `gatehouse requests show <id>`: one request in full. */
export const requestsShowCommand: CliCommand = {
  name: 'requests show',
  summary: 'Show a request: summary, verified vs bound vs claimed, stages, reviews, timeline',
  help: `Usage: gatehouse requests show <id> [options]

Shows one request: its summary; then what it carries, in three groups never mixed:
  Verified by Gatehouse   requester, its role, owner and teams, on-behalf-of (checked
                          against the agent's actsFor), the policy version and rules
  Bound by the grant      action, params, the hashed context fields and the payload
                          hash: the executor acts on exactly these
  Claimed by the agent    reason, risk hint, other context: enforced by nothing
then the stages and who approved, the reviews, and the audit timeline.

Options:
${API_OPTIONS_HELP}
  --json                 print the request as the API returns it, minus the grant token (a credential)`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [id] = expectPositionals(this.name, positionals, ['id']) as [string];
    const client = await connectApi(io, values.server);
    const { body } = await client.call<RequestDetail>('GET', `/v1/requests/${encodeURIComponent(id)}`);
    if (values.json) {
      // The grant token is the requester's to use, not something to print into logs.
      const { grantToken: _grant, ...shown } = body;
      printJson(io, shown);
    } else io.out(formatRequestDetail(body, Date.now()));
    return EXIT.ok;
  },
};
