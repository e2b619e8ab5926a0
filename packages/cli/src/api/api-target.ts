import { type CliIo, envOf, signalOf } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { type ApiClient, createApiClient } from './api-client.js';
import { credentialsPath, readSavedLogin } from './credentials-store.js';

/** The option every API command takes. */
export const SERVER_OPTION = Object.freeze({ server: { type: 'string' } } as const);

/** The help lines for the API commands' shared options and environment. */
export const API_OPTIONS_HELP = `  --server <url>         the server (default $GATEHOUSE_URL, else the saved login's)
Credentials: $GATEHOUSE_TOKEN, else the token saved by gatehouse login.`;

/**
 * A server URL as the CLI keeps it: http(s), no trailing slash, no credentials in it.
 * @throws CliError (usage) for anything else.
 */
export function normalizeServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`--server: "${text}" is not a URL such as https://gatehouse.example.com`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`--server: expected an http:// or https:// URL, got ${url.protocol}`, EXIT.usage);
  }
  if (url.username !== '' || url.password !== '') {
    throw new CliError('--server: put no credentials in the URL (use gatehouse login)', EXIT.usage);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The API client for an API command: the server from --server, $GATEHOUSE_URL or the saved
 * login; the token from $GATEHOUSE_TOKEN or the saved login. The saved token is only ever sent
 * to the server it was saved for, so pointing the CLI at another server cannot leak it.
 */
export async function connectApi(io: CliIo, serverOption: string | undefined): Promise<ApiClient> {
  const env = envOf(io);
  const saved = await readSavedLogin(credentialsPath(env));
  const serverText = serverOption ?? (env.GATEHOUSE_URL || undefined) ?? saved?.server;
  if (serverText === undefined) {
    throw new CliError(
      'no server: pass --server <url>, set GATEHOUSE_URL, or run gatehouse login',
      EXIT.usage,
    );
  }
  const server = normalizeServerUrl(serverText);
  const token =
    env.GATEHOUSE_TOKEN || (saved !== undefined && saved.server === server ? saved.token : undefined);
  if (token === undefined) {
    throw new CliError(
      `not logged in to ${server}: run gatehouse login --server ${server}, or set GATEHOUSE_TOKEN`,
      EXIT.auth,
    );
  }
  return createApiClient({ server, token }, signalOf(io));
}
