import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP, hostConfig } from '../host/host-config.js';
import { withHostDatabase } from '../host/host-database.js';
import { printJson } from '../output.js';
import { loadServer } from '../server-module.js';

function parseHead(text: string): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (match === null)
    throw new CliError(`--expect-head: expected <seq>:<sha256 hex>, got "${text}"`, EXIT.usage);
  return { seq: Number(match[1]), hash: match[2] as string };
}

/** `gatehouse audit verify`: check the stored hash chain and checkpoints, on the server host. */
export const auditVerifyCommand: CliCommand = {
  name: 'audit verify',
  summary: 'Verify the audit log hash chain and signed checkpoints (on the server host)',
  help: `Usage: gatehouse audit verify [--expect-head <seq>:<hash>] [options]

Reads the whole audit log of the configured database and checks every record's
hash, the chain between them, and the signed checkpoints (with the signing keys
stored in the same database). Prints "ok" with the record count and the head
(seq:hash; keep it elsewhere and pass it back with --expect-head next time to
also catch records cut off at the end), or the first bad record: edited,
deleted, inserted, reordered, truncated or contradicting a checkpoint.

Options:
  --expect-head <seq>:<hash>   the head as seen earlier, from outside the database
${HOST_OPTIONS_HELP}
  --json                 print the verification: {"ok","count","head"?,"checkpointsVerified"?,"firstBad"?}

Exit codes: 0 intact, 1 tampered (the first bad record is named), 4 the database is unreachable.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...HOST_OPTIONS, 'expect-head': { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    const expectedHead = values['expect-head'] === undefined ? undefined : parseHead(values['expect-head']);
    const config = await hostConfig(io, values);
    const server = await loadServer();
    const verdict = await withHostDatabase(config, async ({ db }) =>
      server.verifyStoredAudit(db, await server.loadStoredKeysVerifier(db), {
        ...(expectedHead === undefined ? {} : { expectedHead }),
      }),
    );
    if (values.json) printJson(io, verdict);
    else if (verdict.ok) {
      const head = verdict.head === undefined ? 'empty log' : `head ${verdict.head.seq}:${verdict.head.hash}`;
      io.out(`ok: ${verdict.count} records, ${head}, ${verdict.checkpointsVerified} checkpoints verified\n`);
    } else {
      const bad = verdict.firstBad;
      io.out(`TAMPERED: record ${bad.seq} (${bad.problem}): ${bad.message}\n`);
      io.out(`${verdict.count} records read before the verdict\n`);
    }
    return verdict.ok ? EXIT.ok : EXIT.problems;
  },
};
