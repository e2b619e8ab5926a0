import { parseArgs } from 'node:util';
import { lintClaimedFields, type PolicyDiagnostic, parsePolicy } from '@gatehouse/core';
import type { CliCommand } from '../cli-command.js';
import { EXIT } from '../cli-error.js';
import { readPolicyFile } from '../read-policy-file.js';

function formatDiagnostic(diagnostic: PolicyDiagnostic): string {
  const { file, line, column } = diagnostic.position;
  return `${file}:${line}:${column}: error[${diagnostic.code}]: ${diagnostic.message}`;
}

/** `gatehouse policy lint <file>...`: every problem in every file, with file:line:column. */
export const policyLintCommand: CliCommand = {
  name: 'policy lint',
  summary: 'Check policy files and report every problem with file:line:column',
  help: `Usage: gatehouse policy lint <file>... [--json]

Checks each policy file and reports every problem at once, one per line, as
file:line:column: error[code]: message. Exits 0 when all files are valid, 1 when
any has problems, 3 when a file cannot be read. A rule whose condition reads what
the agent only claims (context.reason, context.risk, any context field the
payload hash does not cover) is a problem too, error[claimed-field]: the server
refuses to apply such a policy.

Options:
  --json    print {"files":[{"file","version","valid","diagnostics":[...]}]}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length === 0) {
      io.err('gatehouse policy lint: name at least one policy file (see --help)\n');
      return EXIT.usage;
    }
    const results = [];
    for (const file of positionals) {
      const source = await readPolicyFile(file);
      const parsed = parsePolicy(source.text, file);
      const diagnostics = [...(parsed.ok ? [] : parsed.diagnostics), ...lintClaimedFields(source.text, file)];
      diagnostics.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
      results.push({ file, version: source.version, diagnostics });
    }
    const problems = results.reduce((sum, result) => sum + result.diagnostics.length, 0);
    if (values.json) {
      const files = results.map((result) => ({ ...result, valid: result.diagnostics.length === 0 }));
      io.out(`${JSON.stringify({ files }, null, 2)}\n`);
    } else {
      for (const result of results) {
        for (const diagnostic of result.diagnostics) io.out(`${formatDiagnostic(diagnostic)}\n`);
        if (result.diagnostics.length === 0) io.out(`${result.file}: ok (${result.version.slice(0, 19)})\n`);
      }
      if (problems > 0) io.out(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
    }
    return problems > 0 ? EXIT.problems : EXIT.ok;
  },
};
