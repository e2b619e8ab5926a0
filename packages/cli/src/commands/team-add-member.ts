import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';

/** `gatehouse team add-member <team> <username>`: on the server host, as the admin. */
export const teamAddMemberCommand: CliCommand = {
  name: 'team add-member',
  summary: 'Add a user to a team, or change their role there (on the server host)',
  help: `Usage: gatehouse team add-member <team> <username> [--maintainer] [options]

Adds the user to the team as a member (or a maintainer), acting as the admin.
Run it again with or without --maintainer to change their role in the team.

Options:
  --maintainer           make them a maintainer (maintainers manage the team's members and agents)
${HOST_OPTIONS_HELP}
  --json                 print {"team","username","role"}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...HOST_OPTIONS, maintainer: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [team, username] = expectPositionals(this.name, positionals, ['team', 'username']) as [
      string,
      string,
    ];
    const role = values.maintainer ? 'maintainer' : 'member';
    await withHostDirectory(io, values, ({ directory, admin }) =>
      directory.addTeamMember(admin, team, username, role, Date.now()),
    );
    if (values.json) printJson(io, { team, username, role });
    else io.out(`"${username}" is a ${role} of the team "${team}"\n`);
    return EXIT.ok;
  },
};
