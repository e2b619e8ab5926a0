import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { formatTable, printJson } from '../output.js';

/** `gatehouse user list`: every user, on the server host. */
export const userListCommand: CliCommand = {
  name: 'user list',
  summary: 'List users (on the server host)',
  help: `Usage: gatehouse user list [options]

Lists every user of the configured database with their role and state.

Options:
${HOST_OPTIONS_HELP}
  --json                 print {"users":[…]}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...HOST_OPTIONS, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    const users = await withHostDirectory(io, values, ({ directory, admin }) =>
      directory.listUsers(admin, Date.now()),
    );
    if (values.json) {
      printJson(io, { users });
      return EXIT.ok;
    }
    const rows = users.map((user) => [
      user.username,
      user.role,
      user.disabled ? 'disabled' : 'enabled',
      new Date(user.createdAt).toISOString(),
      user.displayName,
    ]);
    io.out(formatTable(['USERNAME', 'ROLE', 'STATE', 'CREATED', 'NAME'], rows));
    return EXIT.ok;
  },
};
