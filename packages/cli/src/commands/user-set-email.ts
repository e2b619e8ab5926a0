import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';
import { loadServer } from '../server-module.js';

/** `gatehouse user set-email <username> <email>`: where the user gets review mail. */
export const userSetEmailCommand: CliCommand = {
  name: 'user set-email',
  summary: "Set a user's email address for review notifications (on the server host)",
  help: `Usage: gatehouse user set-email <username> <email> [options]

Sets the address the email notifier mails the user at, acting as the admin. Only
users with an address get review mail. The address is checked strictly
(name@host.example): anything else is a usage error (exit 2).

Options:
${HOST_OPTIONS_HELP}
  --json                 print {"username","email"}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...HOST_OPTIONS, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [username, email] = expectPositionals(this.name, positionals, ['username', 'email']) as [
      string,
      string,
    ];
    const { setEmailOfUser } = await loadServer();
    await withHostDirectory(io, values, ({ admin, db }) =>
      setEmailOfUser(admin, username, email, Date.now(), db),
    );
    if (values.json) printJson(io, { username, email });
    else io.out(`"${username}" now gets email at ${email}\n`);
    return EXIT.ok;
  },
};
