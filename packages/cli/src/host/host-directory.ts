import type { AuthenticatedPrincipal, DirectoryService, OpenDatabase } from '@gatehouse/server';
import type { CliIo } from '../cli-command.js';
import { loadServer } from '../server-module.js';
import { type HostOverrides, hostConfig } from './host-config.js';
import { withHostDatabase } from './host-database.js';
import { adminPrincipal } from './host-principal.js';

/** What a directory command works with: the directory services, the admin it acts as, the database. */
export interface HostDirectory {
  readonly directory: DirectoryService;
  readonly admin: AuthenticatedPrincipal;
  readonly db: OpenDatabase['db'];
}

/**
 * Runs a directory change on the configured installation as its admin, through the same
 * directory services the API uses: the same permission rules and the same audit records.
 */
export async function withHostDirectory<T>(
  io: CliIo,
  overrides: HostOverrides,
  work: (host: HostDirectory) => Promise<T>,
): Promise<T> {
  const config = await hostConfig(io, overrides);
  const { createDirectoryService } = await loadServer();
  return withHostDatabase(config, async ({ db }) =>
    work({ directory: createDirectoryService({ db }), admin: await adminPrincipal(db), db }),
  );
}
