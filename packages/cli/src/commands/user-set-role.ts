import { parseArgs } from 'node:util';
import { expectPositionals, oneOf } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';

/** `gatehouse user set-role <username> <role>`: `admin` hands the admin seat on. */
export const userSetRoleCommand: CliCommand = {
  name: 'user set-role',
  summary: "Change a user's role; role admin transfers the admin seat (on the server host)",
  help: `Usage: gatehouse user set-role <username> <user|moderator|admin> [options]

Sets a user's role, acting as the admin. There is exactly one admin: "admin"
transfers the seat to the user, and the previous admin stays on as a moderator.
The admin's own role cannot be changed while they hold the seat.

Options:
${HOST_OPTIONS_HELP}
  --json                 print {"username","role"}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...HOST_OPTIONS, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [username, roleText] = expectPositionals(this.name, positionals, ['username', 'role']) as [
      string,
      string,
    ];
    const role = oneOf('<role>', roleText, ['user', 'moderator', 'admin'] as const);
    await withHostDirectory(io, values, ({ directory, admin }) =>
      role === 'admin'
        ? directory.transferAdmin(admin, username, Date.now())
        : directory.setRole(admin, username, role, Date.now()),
    );
    if (values.json) printJson(io, { username, role });
    else io.out(role === 'admin' ? `"${username}" is now the admin\n` : `"${username}" is now a ${role}\n`);
    return EXIT.ok;
  },
};
