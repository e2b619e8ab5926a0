import { parseArgs } from 'node:util';
import { type CliCommand, signalOf, untilAborted } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP, hostConfig } from '../host/host-config.js';
import { boxed, printJson } from '../output.js';
import { loadServer } from '../server-module.js';

/** The lines of the box that shows the first admin's generated password, once. */
export function firstAdminBox(username: string, password: string): string {
  return boxed([
    'Gatehouse created the first admin.',
    '',
    `  username:           ${username}`,
    `  one-time password:  ${password}`,
    '',
    'It is shown only now: log in and change it.',
  ]);
}

/** `gatehouse serve`: run the server until SIGINT/SIGTERM. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the Gatehouse server (API, web app, timers) until interrupted',
  help: `Usage: gatehouse serve [options]

Opens and migrates the database, creates the first admin and the signing key when
there are none, activates the policy file on first start, and serves the API.
Prints "Gatehouse listening on <url>", and, only when this start created the first
admin with a generated password, a box with the username and its one-time password.
SIGINT or SIGTERM stops it gracefully (exit 0).

Configuration comes from the environment (GATEHOUSE_HOST, GATEHOUSE_PORT,
GATEHOUSE_DATA_DIR, DATABASE_URL, GATEHOUSE_POLICY, GATEHOUSE_PUBLIC_URL,
GATEHOUSE_LOG_LEVEL, GATEHOUSE_BOOTSTRAP_ADMIN, GATEHOUSE_BOOTSTRAP_PASSWORD,
GATEHOUSE_CONFIG); these options override it:

Options:
  --host <address>       the address to listen on (default 127.0.0.1)
  --port <n>             the port (default 8080; 0 picks a free one)
${HOST_OPTIONS_HELP}
  --policy <file>        the policy file installed on first start
  --json                 print {"url","port","firstAdmin"?} once listening (logs stay on the log stream)

Exit codes: 0 stopped by a signal, 2 bad configuration, 4 the database is unreachable.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...HOST_OPTIONS,
        host: { type: 'string' },
        port: { type: 'string' },
        policy: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0)
      throw new CliError(`gatehouse serve: unexpected argument "${positionals[0]}"`);
    const config = await hostConfig(io, values);
    const { startGatehouse } = await loadServer();
    let firstAdmin: { username: string; password: string } | undefined;
    const running = await startGatehouse(config, {
      onBootstrap: (username, password) => {
        firstAdmin = { username, password };
      },
    }).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        throw new CliError(`cannot listen on ${config.host}:${config.port} (${code})`, EXIT.problems);
      }
      throw error;
    });
    if (values.json) {
      printJson(io, {
        url: running.url,
        port: running.port,
        ...(firstAdmin === undefined
          ? {}
          : { firstAdmin: { username: firstAdmin.username, oneTimePassword: firstAdmin.password } }),
      });
    } else {
      io.out(`Gatehouse listening on ${running.url}\n`);
      if (firstAdmin !== undefined) io.out(firstAdminBox(firstAdmin.username, firstAdmin.password));
    }
    // The password is not kept a moment longer than it takes to show it.
    firstAdmin = undefined;
    await untilAborted(signalOf(io));
    io.err('Gatehouse is stopping\n');
    await running.close();
    return EXIT.ok;
  },
};
