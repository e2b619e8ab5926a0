import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';

/** `gatehouse team create <name>`: on the server host, as the admin. */
export const teamCreateCommand: CliCommand = {
  name: 'team create',
  summary: 'Create a team (on the server host, as the admin)',
  help: `Usage: gatehouse team create <name> [options]

Creates a team, acting as the admin. Policies name it as "team: <name>".

Options:
${HOST_OPTIONS_HELP}
  --json                 print {"team":{…}}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...HOST_OPTIONS, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [name] = expectPositionals(this.name, positionals, ['name']) as [string];
    const team = await withHostDirectory(io, values, ({ directory, admin }) =>
      directory.createTeam(admin, name, Date.now()),
    );
    if (values.json) printJson(io, { team });
    else io.out(`Created the team "${team.name}"\n`);
    return EXIT.ok;
  },
};
