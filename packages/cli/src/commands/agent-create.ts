import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';

/** `gatehouse agent create <name> --owner <username> | --team <team> [--acts-for <user>]…`: on the server host, as the admin. */
export const agentCreateCommand: CliCommand = {
  name: 'agent create',
  summary: 'Create an agent owned by a user or a team (on the server host)',
  help: `Usage: gatehouse agent create <name> (--owner <username> | --team <team>) [--acts-for <user>]... [options]

Creates an agent (a non-human principal that authenticates with API tokens and
can never review), acting as the admin. Its owner, or the owning team's
maintainers, manage it; nobody approves requests for their own agent.
Give it a token with: gatehouse token create --agent <name>.
It may name as onBehalfOf only the users given with --acts-for (active users;
change the list later with: gatehouse agent acts-for).

Options:
  --owner <username>     the user who owns it
  --team <team>          the team that owns it
  --acts-for <user>      a user it may act for (repeat for more)
${HOST_OPTIONS_HELP}
  --json                 print {"agent":{…}}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...HOST_OPTIONS,
        owner: { type: 'string' },
        team: { type: 'string' },
        'acts-for': { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const [name] = expectPositionals(this.name, positionals, ['name']) as [string];
    if ((values.owner === undefined) === (values.team === undefined)) {
      throw new CliError('gatehouse agent create: give exactly one of --owner <username> or --team <team>');
    }
    const owner =
      values.owner === undefined
        ? { kind: 'team' as const, id: values.team as string }
        : { kind: 'user' as const, id: values.owner };
    const agent = await withHostDirectory(io, values, ({ directory, admin }) =>
      directory.createAgent(admin, { name, owner, actsFor: values['acts-for'] ?? [] }, Date.now()),
    );
    if (values.json) printJson(io, { agent });
    else {
      const actsFor = agent.actsFor.length === 0 ? '' : `, acting for ${agent.actsFor.join(', ')}`;
      io.out(`Created the agent "${agent.id}" owned by ${owner.kind} ${owner.id}${actsFor}\n`);
    }
    return EXIT.ok;
  },
};
