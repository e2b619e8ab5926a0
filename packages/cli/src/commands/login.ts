import { parseArgs } from 'node:util';
import { createApiClient } from '../api/api-client.js';
import { normalizeServerUrl } from '../api/api-target.js';
import { credentialsPath, type SavedLogin, saveLogin } from '../api/credentials-store.js';
import { expectPositionals } from '../cli-args.js';
import { type CliCommand, envOf, readStdinOf, signalOf } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { parseDuration } from '../duration.js';
import { printJson } from '../output.js';

interface SessionInfo {
  readonly principal: {
    readonly kind: 'user' | 'agent';
    readonly id: string;
    readonly scopes: readonly string[];
  };
}

interface IssuedToken {
  readonly token: string;
  readonly id: string;
  readonly scopes: readonly string[];
  readonly expiresAt?: string;
}

/** The `name=value` pairs of every cookie a response sets, as a `Cookie` header. */
function cookieHeader(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';', 1)[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='))
    .join('; ');
}

/** `gatehouse login`: save a token for a server, never a password. */
export const loginCommand: CliCommand = {
  name: 'login',
  summary: 'Save credentials for a server (a token, never the password)',
  help: `Usage: gatehouse login --server <url> (--token-stdin | --username <name> --password-stdin) [options]

Saves { server, token } to $XDG_CONFIG_HOME/gatehouse/credentials.json (or
~/.config/gatehouse/credentials.json), readable only by you (directory 0700,
file 0600). The API commands use it when GATEHOUSE_URL/GATEHOUSE_TOKEN are unset.

With --token-stdin the token read from standard input is checked and saved.
With --username and --password-stdin the CLI logs in, creates a personal API
token with the session (POST /v1/tokens), ends the session and saves the token;
the password is never stored. logout revokes a token created this way.

Options:
  --server <url>         the Gatehouse server (required)
  --token-stdin          read an API token from standard input
  --username <name>      log in as this user, reading the password from standard input
  --password-stdin       read the password from standard input
  --scope <scope>        a scope for the created token (repeatable; default: the server's user defaults)
  --expires <duration>   the created token stops working after this long, e.g. 90d
  --json                 print {"server","principal","tokenId"?,"scopes","credentialsFile"}

Exit codes: 0 saved, 2 usage, 3 the file cannot be written, 4 unreachable, 5 login refused.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        server: { type: 'string' },
        'token-stdin': { type: 'boolean' },
        username: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        scope: { type: 'string', multiple: true },
        expires: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    if (values.server === undefined) throw new CliError('gatehouse login: --server <url> is required');
    const server = normalizeServerUrl(values.server);
    const withPassword = values.username !== undefined || values['password-stdin'] === true;
    if (withPassword === (values['token-stdin'] === true)) {
      throw new CliError('gatehouse login: give either --token-stdin, or --username with --password-stdin');
    }
    if (withPassword && (values.username === undefined || !values['password-stdin'])) {
      throw new CliError(
        'gatehouse login: --username needs --password-stdin (passwords never go on the command line)',
      );
    }
    if (!withPassword && (values.scope !== undefined || values.expires !== undefined)) {
      throw new CliError('gatehouse login: --scope and --expires apply only to a token made with --username');
    }
    const expiresAt =
      values.expires === undefined ? undefined : Date.now() + parseDuration('expires', values.expires);
    const secret = await readStdinOf(io);
    if (secret === '') throw new CliError('gatehouse login: standard input was empty', EXIT.usage);

    let login: SavedLogin;
    let scopes: readonly string[];
    let principal: SessionInfo['principal'] | undefined;
    if (withPassword) {
      const anonymous = createApiClient({ server }, signalOf(io));
      const session = await anonymous.call<{ user: { id: string }; csrfToken: string }>(
        'POST',
        '/v1/auth/login',
        {
          body: { username: values.username, password: secret },
          purpose: 'login',
        },
      );
      const sessionHeaders = {
        cookie: cookieHeader(session.headers),
        'x-csrf-token': session.body.csrfToken,
      };
      try {
        const issued = await anonymous.call<IssuedToken>('POST', '/v1/tokens', {
          headers: sessionHeaders,
          body: {
            ...(values.scope === undefined ? {} : { scopes: values.scope }),
            ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
          },
        });
        login = {
          v: 1,
          server,
          token: issued.body.token,
          createdByLogin: true,
          tokenId: issued.body.id,
          username: session.body.user.id,
        };
        scopes = issued.body.scopes;
      } finally {
        // The session was only a means to the token; it should not outlive this command.
        await anonymous.call('POST', '/v1/auth/logout', { headers: sessionHeaders }).catch(() => {});
      }
    } else {
      const client = createApiClient({ server, token: secret }, signalOf(io));
      principal = (await client.call<SessionInfo>('GET', '/v1/auth/session', { purpose: 'login' })).body
        .principal;
      login = { v: 1, server, token: secret, createdByLogin: false, username: principal.id };
      scopes = principal.scopes;
    }
    const file = credentialsPath(envOf(io));
    await saveLogin(file, login);
    const who = principal === undefined ? `user ${login.username}` : `${principal.kind} ${principal.id}`;
    if (values.json) {
      printJson(io, {
        server,
        principal:
          principal === undefined
            ? { kind: 'user', id: login.username }
            : { kind: principal.kind, id: principal.id },
        ...(login.tokenId === undefined ? {} : { tokenId: login.tokenId }),
        scopes,
        credentialsFile: file,
      });
    } else {
      io.out(`Logged in to ${server} as ${who} (scopes: ${scopes.join(', ')})\n`);
      io.out(`Saved the token${login.tokenId === undefined ? '' : ` ${login.tokenId}`} to ${file}\n`);
    }
    return EXIT.ok;
  },
};
