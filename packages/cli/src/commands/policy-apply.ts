import { parseArgs } from 'node:util';
import { ApiError } from '../api/api-error.js';
import { API_OPTIONS_HELP, connectApi, SERVER_OPTION } from '../api/api-target.js';
import { expectPositionals } from '../cli-args.js';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { oneLine, printJson } from '../output.js';
import { readPolicyFile } from '../read-policy-file.js';

interface PolicyError {
  readonly line: number;
  readonly column: number;
  readonly code?: string;
  readonly message: string;
}

function isPolicyError(value: unknown): value is PolicyError {
  const error = value as Partial<PolicyError> | null;
  return (
    typeof error?.line === 'number' && typeof error.column === 'number' && typeof error.message === 'string'
  );
}

/** `gatehouse policy apply <file>`: make the file the server's active policy (admin). */
export const policyApplyCommand: CliCommand = {
  name: 'policy apply',
  summary: "Make a policy file the server's active policy (admin, PUT /v1/policy)",
  help: `Usage: gatehouse policy apply <file> [options]

Sends the file to the server (PUT /v1/policy), which validates it, stores it as a
new version and activates it; previous versions are kept. Prints the new version.
When the server finds problems it prints each as file:line:column: error[code]:
message and exits 1. Only the admin may, with a token carrying policy:write
(gatehouse login … --scope policy:write, or on the host gatehouse token create
--user <admin> --scope policy:write).

Options:
${API_OPTIONS_HELP}
  --json                 print {"version","activatedAt"} or {"errors":[…]}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...SERVER_OPTION, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    const [file] = expectPositionals(this.name, positionals, ['file']) as [string];
    const source = await readPolicyFile(file);
    const client = await connectApi(io, values.server);
    try {
      const { body } = await client.call<{ version: string; activatedAt?: string }>('PUT', '/v1/policy', {
        body: { source: source.text },
      });
      if (values.json) printJson(io, { version: body.version, activatedAt: body.activatedAt });
      else io.out(`Applied ${file}: the active policy is now ${body.version}\n`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 422) throw error;
      const errors = ((error.problem.errors ?? []) as readonly unknown[]).filter(isPolicyError);
      if (values.json) printJson(io, { file, errors });
      else {
        for (const { line, column, code, message } of errors) {
          const tag = code === undefined ? '' : `[${code}]`;
          io.err(`${file}:${line}:${column}: error${tag}: ${oneLine(message)}\n`);
        }
        if (errors.length === 0) io.err(`gatehouse policy apply: ${error.message}\n`);
      }
      return EXIT.problems;
    }
  },
};
