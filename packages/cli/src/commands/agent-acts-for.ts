import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';

/** `gatehouse agent acts-for <agent> (--add <user> | --remove <user>)…`: on the server host, as the admin. */
export const agentActsForCommand: CliCommand = {
  name: 'agent acts-for',
  summary: 'Change the users an agent may act for (on the server host)',
  help: `Usage: gatehouse agent acts-for <agent> [--add <user>]... [--remove <user>]... [options]

Changes the users the agent may name as onBehalfOf, acting as the admin, and
prints the list. A submission naming anyone else (or a disabled user) is refused.
Over the API, an agent's owner may add only themselves, any user may remove
themselves, and only the admin adds others. Each change is audited.

Options:
  --add <user>           let it act for this active user (repeat for more)
  --remove <user>        stop it acting for this user (repeat for more)
${HOST_OPTIONS_HELP}
  --json                 print {"agent":"…","actsFor":[…]}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...HOST_OPTIONS,
        add: { type: 'string', multiple: true },
        remove: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const [agentId] = expectPositionals(this.name, positionals, ['agent']) as [string];
    const add = values.add ?? [];
    const remove = values.remove ?? [];
    const actsFor = await withHostDirectory(io, values, async ({ directory, admin }) => {
      for (const user of remove) await directory.removeActsFor(admin, agentId, user, Date.now());
      for (const user of add) await directory.addActsFor(admin, agentId, user, Date.now());
      const agent = (await directory.listAgents(admin, Date.now())).find((listed) => listed.id === agentId);
      if (agent === undefined) throw new CliError(`gatehouse agent acts-for: no agent "${agentId}"`);
      return agent.actsFor;
    });
    if (values.json) printJson(io, { agent: agentId, actsFor });
    else io.out(`Agent "${agentId}" acts for: ${actsFor.length === 0 ? '(nobody)' : actsFor.join(', ')}\n`);
    return EXIT.ok;
  },
};
