import { parseArgs } from 'node:util';
import { createApiClient } from '../api/api-client.js';
import { credentialsPath, deleteSavedLogin, readSavedLogin } from '../api/credentials-store.js';
import { expectPositionals } from '../cli-args.js';
import { type CliCommand, envOf, signalOf } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { printJson } from '../output.js';

/** `gatehouse logout`: revoke the token login created, and forget the saved login. */
export const logoutCommand: CliCommand = {
  name: 'logout',
  summary: 'Revoke the token gatehouse login created and remove the saved login',
  help: `Usage: gatehouse logout [--json]

Removes the saved login. A token that gatehouse login created (with --username)
is revoked on the server first; a token you gave with --token-stdin is yours to
revoke and is only forgotten. The file is removed even when the server cannot be
reached, and then the command exits 4: the token still works until revoked.

Options:
  --json                 print {"loggedOut","server"?,"revoked"}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    const file = credentialsPath(envOf(io));
    const saved = await readSavedLogin(file);
    if (saved === undefined) {
      if (values.json) printJson(io, { loggedOut: false, revoked: false });
      else io.out('Not logged in\n');
      return EXIT.ok;
    }
    let failure: CliError | undefined;
    let revoked = false;
    if (saved.createdByLogin && saved.tokenId !== undefined) {
      try {
        const client = createApiClient({ server: saved.server, token: saved.token }, signalOf(io));
        await client.call('DELETE', `/v1/tokens/${encodeURIComponent(saved.tokenId)}`);
        revoked = true;
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        failure = error;
      }
    }
    await deleteSavedLogin(file);
    if (values.json) printJson(io, { loggedOut: true, server: saved.server, revoked });
    else io.out(`Logged out of ${saved.server}${revoked ? ' and revoked the token' : ''}\n`);
    if (failure !== undefined) {
      io.err(`gatehouse logout: could not revoke the token ${saved.tokenId}: ${failure.message}\n`);
      // An expired or already revoked token is as good as revoked; anything else leaves it live.
      return failure.exitCode === EXIT.auth ? EXIT.ok : failure.exitCode;
    }
    return EXIT.ok;
  },
};
