import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { describeDatabase, HOST_OPTIONS, HOST_OPTIONS_HELP, hostConfig } from '../host/host-config.js';
import { openHostDatabase } from '../host/host-database.js';
import { printJson } from '../output.js';
import { loadServer } from '../server-module.js';
import { firstAdminBox } from './serve.js';

async function ensureDirectory(dir: string): Promise<boolean> {
  if (existsSync(dir)) return false;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CliError(
      `${dir}: cannot create the directory (${(error as NodeJS.ErrnoException).code})`,
      EXIT.io,
    );
  }
  return true;
}

/** Writes the example policy unless a file is there; true when it wrote one. */
async function ensurePolicyFile(file: string, text: string): Promise<boolean> {
  await ensureDirectory(path.dirname(file));
  try {
    // `wx`: never overwrite a policy someone wrote, even one that appeared meanwhile.
    await writeFile(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new CliError(`${file}: cannot write the policy file (${code})`, EXIT.io);
  }
}

/** `gatehouse init`: prepare an installation; safe to run again. */
export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Create the data directory, example policy, database and first admin (idempotent)',
  help: `Usage: gatehouse init [options]

Prepares an installation, doing only what is not done yet: creates the data
directory, writes the example policy to the policy path if no file is there,
migrates the database, and creates the first admin (GATEHOUSE_BOOTSTRAP_ADMIN,
default "admin"), printing its one-time password once when it generated one
(set GATEHOUSE_BOOTSTRAP_PASSWORD to choose it). Prints what it did. Running it
again changes nothing.

Options:
${HOST_OPTIONS_HELP}
  --policy <file>        the policy file (default $GATEHOUSE_POLICY or <data-dir>/policy.yaml)
  --json                 print {"dataDir","policy","database","firstAdmin"}

Exit codes: 0 done, 2 bad configuration, 3 a file or directory cannot be written,
4 the database is unreachable.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...HOST_OPTIONS, policy: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new CliError(`gatehouse init: unexpected argument "${positionals[0]}"`);
    const config = await hostConfig(io, values);
    const server = await loadServer();
    const dataDirCreated = await ensureDirectory(config.dataDir);
    const policyWritten = await ensurePolicyFile(config.policyPath, server.DEFAULT_POLICY_YAML);
    const location = server.parseDatabaseUrl(config.databaseUrl);
    if (location.engine === 'sqlite') await ensureDirectory(path.dirname(path.resolve(location.filename)));
    const database = await openHostDatabase(config, { create: true });
    let bootstrap: Awaited<ReturnType<typeof server.bootstrapAdmin>>;
    try {
      bootstrap = await server.bootstrapAdmin(
        {
          ...(config.bootstrapAdmin === undefined ? {} : { username: config.bootstrapAdmin }),
          ...(config.bootstrapPassword === undefined ? {} : { password: config.bootstrapPassword }),
        },
        Date.now(),
        database.db,
      );
    } finally {
      await database.close();
    }
    const admin = bootstrap.created ? bootstrap : undefined;
    if (values.json) {
      printJson(io, {
        dataDir: { path: config.dataDir, created: dataDirCreated },
        policy: { path: config.policyPath, written: policyWritten },
        database: { url: describeDatabase(config.databaseUrl), migrationsApplied: database.migrations },
        firstAdmin: admin
          ? {
              created: true,
              username: admin.username,
              ...(admin.generatedPassword === undefined ? {} : { oneTimePassword: admin.generatedPassword }),
            }
          : { created: false },
      });
      return EXIT.ok;
    }
    io.out(`${dataDirCreated ? 'Created' : 'Found'} the data directory ${config.dataDir}\n`);
    io.out(
      policyWritten
        ? `Wrote the example policy to ${config.policyPath}\n`
        : `Kept the policy file ${config.policyPath}\n`,
    );
    const applied = database.migrations.length;
    io.out(
      applied > 0
        ? `Migrated the database ${describeDatabase(config.databaseUrl)} (${applied} migration${applied === 1 ? '' : 's'})\n`
        : `The database ${describeDatabase(config.databaseUrl)} is up to date\n`,
    );
    if (admin === undefined) io.out('The admin exists already\n');
    else if (admin.generatedPassword === undefined) io.out(`Created the admin "${admin.username}"\n`);
    else io.out(firstAdminBox(admin.username, admin.generatedPassword));
    return EXIT.ok;
  },
};
