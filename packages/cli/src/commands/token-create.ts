import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { parseDuration } from '../duration.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { userPrincipal } from '../host/host-principal.js';
import { printJson } from '../output.js';

/** `gatehouse token create --user <u> | --agent <name>`: on the server host; prints the token once. */
export const tokenCreateCommand: CliCommand = {
  name: 'token create',
  summary: 'Issue an API token for a user or an agent, printed once (on the server host)',
  help: `Usage: gatehouse token create (--user <username> | --agent <name>) [--scope <scope>]... [--expires <duration>] [options]

Issues an API token and prints it once; only its hash is stored. An agent's token
is issued by the admin (the audit record names the admin). A user's own token can
only be issued by that user, so for --user the command acts as that user (the
audit record names them); it never carries more than their role allows.

Scopes: requests:create, requests:read, requests:review, grants:consume,
policy:read, policy:write, admin. Agent tokens default to requests:create,
requests:read, grants:consume and can never carry requests:review, policy:write
or admin. User tokens default to everything but policy:write and admin.

Options:
  --user <username>      a token for this user
  --agent <name>         a token for this agent
  --scope <scope>        a scope (repeatable; default: the defaults above)
  --expires <duration>   it stops working after this long, e.g. 30d (default: until revoked)
${HOST_OPTIONS_HELP}
  --json                 print {"token","id","prefix","principal","scopes","expiresAt"?}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...HOST_OPTIONS,
        user: { type: 'string' },
        agent: { type: 'string' },
        scope: { type: 'string', multiple: true },
        expires: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    if ((values.user === undefined) === (values.agent === undefined)) {
      throw new CliError('gatehouse token create: give exactly one of --user <username> or --agent <name>');
    }
    const now = Date.now();
    const expiresAt =
      values.expires === undefined ? undefined : now + parseDuration('expires', values.expires);
    const input = {
      ...(values.agent === undefined ? {} : { agentId: values.agent }),
      ...(values.scope === undefined ? {} : { scopes: values.scope }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    const issued = await withHostDirectory(io, values, async ({ directory, admin, db }) => {
      const issuer =
        values.user === undefined || values.user === admin.id ? admin : await userPrincipal(values.user, db);
      return directory.createToken(issuer, input, now);
    });
    const { metadata } = issued;
    const expires = metadata.expiresAt === undefined ? undefined : new Date(metadata.expiresAt).toISOString();
    if (values.json) {
      printJson(io, {
        token: issued.token,
        id: metadata.id,
        prefix: metadata.prefix,
        principal: metadata.principal,
        scopes: metadata.scopes,
        ...(expires === undefined ? {} : { expiresAt: expires }),
      });
      return EXIT.ok;
    }
    const owner = `${metadata.principal.kind} ${metadata.principal.id}`;
    io.out(`Issued the token ${metadata.id} for ${owner} (${metadata.scopes.join(', ')})`);
    io.out(expires === undefined ? ', until revoked\n' : `, until ${expires}\n`);
    io.out(`${issued.token}\n`);
    io.out('It is shown only now: store it in a secret store.\n');
    return EXIT.ok;
  },
};
