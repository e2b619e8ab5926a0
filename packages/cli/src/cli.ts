import type { CliCommand, CliIo } from './cli-command.js';
import { CliError, EXIT } from './cli-error.js';
import { policyExplainCommand } from './commands/policy-explain.js';
import { policyLintCommand } from './commands/policy-lint.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [policyLintCommand, policyExplainCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: gatehouse <command> [options]

Commands:
${lines.join('\n')}

Run gatehouse <command> --help for a command's options.

Exit codes:
  0  success
  1  the command ran and found problems (policy errors)
  2  usage error (unknown command or option, bad value)
  3  a file could not be read
`;
}

/** Run the CLI in process: resolve the command from its words, run it, map errors to exit codes. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(usage());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => {
    const words = candidate.name.split(' ');
    return words.every((word, index) => argv[index] === word);
  });
  if (command === undefined) {
    io.err(`gatehouse: unknown command "${argv.slice(0, 2).join(' ')}" (run gatehouse --help)\n`);
    return EXIT.usage;
  }
  const args = argv.slice(command.name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`${error.message}\n`);
      return error.exitCode;
    }
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`gatehouse ${command.name}: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
