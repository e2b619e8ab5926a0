import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';

/** `gatehouse group create <name> [--user u]… [--team t]…`: on the server host, as the admin. */
export const groupCreateCommand: CliCommand = {
  name: 'group create',
  summary: 'Create an approval group of users and teams (on the server host)',
  help: `Usage: gatehouse group create <name> [--user <username>]... [--team <team>]... [options]

Creates an approval group, acting as the admin, and adds the users and teams
named. Policies name it as approvers: "approvers: { group: <name> }".

Options:
  --user <username>      a member (repeatable)
  --team <team>          a member team (repeatable)
${HOST_OPTIONS_HELP}
  --json                 print {"group":{"name","users","teams"}}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...HOST_OPTIONS,
        user: { type: 'string', multiple: true, default: [] },
        team: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const [name] = expectPositionals(this.name, positionals, ['name']) as [string];
    const members = [
      ...values.user.map((id) => ({ kind: 'user' as const, id })),
      ...values.team.map((id) => ({ kind: 'team' as const, id })),
    ];
    const group = await withHostDirectory(io, values, async ({ directory, admin }) => {
      const created = await directory.createGroup(admin, name, Date.now());
      // One audited change per member, as over the API.
      for (const member of members) await directory.addGroupMember(admin, created.name, member, Date.now());
      return { name: created.name, users: values.user, teams: values.team };
    });
    if (values.json) printJson(io, { group });
    else {
      const listed = members.map((member) => `${member.kind} ${member.id}`).join(', ');
      io.out(`Created the approval group "${group.name}"${listed === '' ? '' : ` with ${listed}`}\n`);
    }
    return EXIT.ok;
  },
};
