import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { expectPositionals, oneOf } from '../cli-args.js';
import { type CliCommand, readStdinOf } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP } from '../host/host-config.js';
import { withHostDirectory } from '../host/host-directory.js';
import { printJson } from '../output.js';

/** `gatehouse user create <username>`: on the server host, as the admin. */
export const userCreateCommand: CliCommand = {
  name: 'user create',
  summary: 'Create a user (on the server host, as the admin)',
  help: `Usage: gatehouse user create <username> [--role user|moderator] [--password-stdin] [options]

Creates a user in the configured database, acting as the admin (the audit record
names the admin as the actor). Without --password-stdin a password is generated
and printed once; it is never stored anywhere but as a hash.

Options:
  --role <role>          user (default) or moderator
  --display-name <name>  the name people see (default: the username)
  --password-stdin       read the password from standard input (12 characters or more)
${HOST_OPTIONS_HELP}
  --json                 print {"user":{…},"generatedPassword"?}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...HOST_OPTIONS,
        role: { type: 'string', default: 'user' },
        'display-name': { type: 'string' },
        'password-stdin': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const [username] = expectPositionals(this.name, positionals, ['username']) as [string];
    const role = oneOf('--role', values.role, ['user', 'moderator'] as const);
    let password: string;
    let generated = false;
    if (values['password-stdin']) {
      password = await readStdinOf(io);
      if (password === '') throw new CliError('--password-stdin: standard input was empty', EXIT.usage);
    } else {
      // 18 random bytes: 24 base64url characters, 144 bits.
      password = randomBytes(18).toString('base64url');
      generated = true;
    }
    const user = await withHostDirectory(io, values, ({ directory, admin }) =>
      directory.createUser(
        admin,
        {
          username,
          role,
          password,
          ...(values['display-name'] === undefined ? {} : { displayName: values['display-name'] }),
        },
        Date.now(),
      ),
    );
    if (values.json) {
      printJson(io, { user, ...(generated ? { generatedPassword: password } : {}) });
      return EXIT.ok;
    }
    io.out(`Created the ${user.role} "${user.username}"\n`);
    if (generated) io.out(`One-time password for ${user.username} (shown only now): ${password}\n`);
    return EXIT.ok;
  },
};
