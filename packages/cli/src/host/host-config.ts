import type { ServerConfig } from '@gatehouse/server';
import { type CliIo, envOf } from '../cli-command.js';
import { loadServer } from '../server-module.js';

/** The options every command that works on the server host takes, to point at an installation. */
export const HOST_OPTIONS = Object.freeze({
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
} as const);

/** The help lines for `HOST_OPTIONS`. */
export const HOST_OPTIONS_HELP = `  --data-dir <dir>       the data directory (default $GATEHOUSE_DATA_DIR or ./data)
  --database-url <url>   sqlite:<path> or postgres://… (default $DATABASE_URL or <data-dir>/gatehouse.db)`;

/** Command-line values that override the environment's configuration. */
export interface HostOverrides {
  readonly 'data-dir'?: string | undefined;
  readonly 'database-url'?: string | undefined;
  readonly policy?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: string | undefined;
}

// Each option stands in for its variable, so the server's one resolution order (options,
// then environment, then the config file, then defaults) derives everything else the same way,
// e.g. the database path from --data-dir.
const VARIABLE_OF: Readonly<Record<keyof HostOverrides, string>> = Object.freeze({
  'data-dir': 'GATEHOUSE_DATA_DIR',
  'database-url': 'DATABASE_URL',
  policy: 'GATEHOUSE_POLICY',
  host: 'GATEHOUSE_HOST',
  port: 'GATEHOUSE_PORT',
});

/** The server's configuration, as `gatehouse serve` would resolve it with these options. */
export async function hostConfig(io: CliIo, overrides: HostOverrides): Promise<ServerConfig> {
  const env: Record<string, string | undefined> = { ...envOf(io) };
  for (const [option, variable] of Object.entries(VARIABLE_OF)) {
    const value = overrides[option as keyof HostOverrides];
    if (value !== undefined) env[variable] = value;
  }
  const { loadServerConfig } = await loadServer();
  return loadServerConfig(env);
}

/** The database a configuration names, for people: a SQLite path, or a PostgreSQL URL without its password. */
export function describeDatabase(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}
