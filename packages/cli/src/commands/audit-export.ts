import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { CliError, EXIT } from '../cli-error.js';
import { HOST_OPTIONS, HOST_OPTIONS_HELP, hostConfig } from '../host/host-config.js';
import { withHostDatabase } from '../host/host-database.js';
import { printJson } from '../output.js';
import { loadServer } from '../server-module.js';

async function openOutput(file: string): Promise<WriteStream> {
  // `wx`: never overwrite an earlier export; 0600: the log names people and actions.
  const stream = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new CliError(
      `${file}: cannot write the export (${(error as NodeJS.ErrnoException).code})`,
      EXIT.io,
    );
  }
  return stream;
}

async function writeTo(stream: WriteStream, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, 'drain');
}

async function closeOutput(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

/** `gatehouse audit export`: the audit log as JSON Lines, on the server host. */
export const auditExportCommand: CliCommand = {
  name: 'audit export',
  summary: 'Export the audit log as JSON Lines (on the server host)',
  help: `Usage: gatehouse audit export [--from <seq>] [--output <file>] [options]

Writes the audit log, one record per line in sequence order, exactly the fields
its hash covers plus the hash (canonical JSON): the export verifies on its own.
A partial export (--from) verifies only together with the record before it.

Options:
  --from <seq>           start at this record (default 1, the whole log)
  --output <file>        write to a new file (mode 0600) instead of standard output
${HOST_OPTIONS_HELP}
  --json                 with --output: print {"output","count","last"?}; without: print one
                         document {"records":[…],"count","last"?} instead of JSON Lines`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        ...HOST_OPTIONS,
        from: { type: 'string' },
        output: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    expectPositionals(this.name, positionals, []);
    if (values.from !== undefined && !/^[1-9]\d*$/.test(values.from)) {
      throw new CliError(`--from: expected a record number (1 or more), got "${values.from}"`, EXIT.usage);
    }
    const fromSeq = values.from === undefined ? 1 : Number(values.from);
    const config = await hostConfig(io, values);
    const server = await loadServer();
    const output = values.output === undefined ? undefined : await openOutput(values.output);
    // As one JSON document the records are streamed into an array, so memory stays flat.
    let separator = '{"records":[\n';
    const write =
      output !== undefined
        ? (line: string) => writeTo(output, line)
        : values.json
          ? (line: string) => {
              io.out(`${separator}${line.trimEnd()}`);
              separator = ',\n';
            }
          : (line: string) => io.out(line);
    let summary: Awaited<ReturnType<typeof server.exportAuditJsonl>>;
    try {
      summary = await withHostDatabase(config, ({ db }) => server.exportAuditJsonl(db, write, { fromSeq }));
    } finally {
      if (output !== undefined) await closeOutput(output);
    }
    if (output !== undefined) {
      if (values.json) printJson(io, { output: values.output, ...summary });
      else io.err(`Exported ${summary.count} records to ${values.output}\n`);
    } else if (values.json) {
      const tail = { count: summary.count, ...(summary.last === undefined ? {} : { last: summary.last }) };
      io.out(`${summary.count === 0 ? '{"records":[' : '\n'}],${JSON.stringify(tail).slice(1)}\n`);
    }
    return EXIT.ok;
  },
};
