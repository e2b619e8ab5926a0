import { type OptionGrammar, type OptionScan, scanOptions } from './option-scanner.js';
import { literalWord, type ShellWord } from './shell-word.js';

/** A command with the wrappers in front of it stripped. */
export interface UnwrappedCommand {
  /** The command that finally runs, with its arguments. */
  readonly argv: readonly ShellWord[];
  /** The wrappers stripped, outermost first (`['sudo', 'env']`). */
  readonly wrappers: readonly string[];
  /** A wrapper appends arguments only known at run time (`xargs`). */
  readonly extended: boolean;
  /** The text `xargs -I` replaces in the command's words at run time. */
  readonly template?: string;
}

/** What one wrapper does with the words that follow its name. */
type WrapperStep =
  /** Strip the words before `next`; the command starts there. */
  | { readonly kind: 'strip'; readonly next: number; readonly template?: string }
  /** The wrapper runs no command here (`sudo -l`, bare `env`): it is the command. */
  | { readonly kind: 'keep' }
  /** Which word is the command is only known at run time; assume the word at `at`. */
  | { readonly kind: 'unknowable'; readonly at: number }
  /** No command was given and the wrapper runs its default one (`xargs` runs `echo`). */
  | { readonly kind: 'default'; readonly argv: readonly ShellWord[] };

const SUDO: OptionGrammar = {
  shortWithValue: 'CDghpRrTtUu',
  shortFlags: 'ABbEHiknNPSs',
  longWithValue: [
    '--chdir',
    '--chroot',
    '--close-from',
    '--command-timeout',
    '--group',
    '--host',
    '--other-user',
    '--prompt',
    '--role',
    '--type',
    '--user',
  ],
  longFlags: [
    '--askpass',
    '--background',
    '--bell',
    '--login',
    '--no-update',
    '--non-interactive',
    '--preserve-env',
    '--preserve-groups',
    '--reset-timestamp',
    '--set-home',
    '--shell',
    '--stdin',
  ],
  noCommand: [
    '-e',
    '--edit',
    '-l',
    '--list',
    '-v',
    '--validate',
    '-V',
    '--version',
    '-K',
    '--remove-timestamp',
    '--help',
  ],
};
const DOAS: OptionGrammar = { shortWithValue: 'uC', shortFlags: 'ns', noCommand: ['-L', '-C'] };
const ENV: OptionGrammar = {
  shortWithValue: 'uCS',
  shortFlags: 'i0v',
  longWithValue: ['--unset', '--chdir', '--split-string'],
  longFlags: [
    '--ignore-environment',
    '--null',
    '--debug',
    '--default-signal',
    '--ignore-signal',
    '--block-signal',
    '--list-signal-handling',
  ],
  noCommand: ['--help', '--version'],
  refused: ['-S', '--split-string'],
  loneDashOption: true,
};
const COMMAND: OptionGrammar = { shortFlags: 'p', noCommand: ['-v', '-V'] };
const EXEC: OptionGrammar = { shortWithValue: 'a', shortFlags: 'cl' };
const HELP_ONLY: OptionGrammar = { noCommand: ['--help', '--version'] };
const NICE: OptionGrammar = {
  shortWithValue: 'n',
  longWithValue: ['--adjustment'],
  noCommand: ['--help', '--version'],
  numericOption: true,
};
const TIME: OptionGrammar = {
  shortWithValue: 'fo',
  shortFlags: 'apqv',
  longWithValue: ['--format', '--output'],
  longFlags: ['--append', '--portability', '--quiet', '--verbose'],
  noCommand: ['-V', '--help', '--version'],
};
const TIMEOUT: OptionGrammar = {
  shortWithValue: 'ks',
  shortFlags: 'fpv',
  longWithValue: ['--kill-after', '--signal'],
  longFlags: ['--foreground', '--preserve-status', '--verbose'],
  noCommand: ['--help', '--version'],
};
const XARGS: OptionGrammar = {
  shortWithValue: 'adEILnPs',
  shortOptionalValue: 'eil',
  shortFlags: '0oprtx',
  longWithValue: [
    '--arg-file',
    '--delimiter',
    '--max-args',
    '--max-procs',
    '--max-chars',
    '--process-slot-var',
  ],
  longFlags: [
    '--null',
    '--open-tty',
    '--interactive',
    '--no-run-if-empty',
    '--verbose',
    '--exit',
    '--show-limits',
    '--eof',
    '--replace',
    '--max-lines',
  ],
  noCommand: ['--help', '--version'],
};

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** After the options: skip words that `accept` (assignments), then the command starts. */
function skipWhile(
  words: readonly ShellWord[],
  scan: OptionScan,
  accept: (text: string) => boolean,
): WrapperStep {
  if (scan.kind !== 'command') return scan.kind === 'no-command' ? { kind: 'keep' } : scan;
  let next = scan.next;
  while (next < words.length) {
    const word = words[next] as ShellWord;
    if (word.dynamic) return { kind: 'unknowable', at: next };
    if (!accept(word.text)) break;
    next++;
  }
  return next < words.length ? { kind: 'strip', next } : { kind: 'keep' };
}

function optionsThenCommand(name: string, grammar: OptionGrammar) {
  return (words: readonly ShellWord[]): WrapperStep =>
    skipWhile(words, scanOptions(name, words, 1, grammar), () => false);
}

/** Wrappers by command name: each says where the wrapped command starts. */
const WRAPPERS: ReadonlyMap<string, (words: readonly ShellWord[]) => WrapperStep> = new Map(
  Object.entries({
    sudo: (words) => skipWhile(words, scanOptions('sudo', words, 1, SUDO), (text) => ASSIGNMENT.test(text)),
    doas: optionsThenCommand('doas', DOAS),
    env: (words) => skipWhile(words, scanOptions('env', words, 1, ENV), (text) => text.includes('=')),
    command: optionsThenCommand('command', COMMAND),
    builtin: optionsThenCommand('builtin', {}),
    exec: optionsThenCommand('exec', EXEC),
    nohup: optionsThenCommand('nohup', HELP_ONLY),
    nice: optionsThenCommand('nice', NICE),
    time: optionsThenCommand('time', TIME),
    timeout: (words) => {
      const scan = scanOptions('timeout', words, 1, TIMEOUT);
      // The first word after the options is the duration.
      return skipWhile(words, scan.kind === 'command' ? { ...scan, next: scan.next + 1 } : scan, () => false);
    },
    xargs: (words) => {
      const scan = scanOptions('xargs', words, 1, XARGS);
      if (scan.kind !== 'command') return skipWhile(words, scan, () => false);
      if (scan.next >= words.length) return { kind: 'default', argv: [literalWord('echo')] };
      // `-I R` and `--replace=R` replace R; `-i` and `--replace` alone replace `{}`.
      const replace = scan.options.findLast((option) => ['-I', '-i', '--replace'].includes(option.name));
      const template = replace === undefined ? undefined : (replace.value ?? '{}');
      return { kind: 'strip', next: scan.next, ...(template === undefined ? {} : { template }) };
    },
  }),
);

/** The name a command is known by: `/usr/bin/sudo` is `sudo`. Undefined when not known before run time. */
export function commandName(word: ShellWord | undefined): string | undefined {
  if (word === undefined || word.dynamic || word.glob) return undefined;
  return word.text.slice(word.text.lastIndexOf('/') + 1);
}

/**
 * Strip wrappers (`sudo`, `doas`, `env`, `command`, `builtin`, `exec`, `nohup`, `nice`,
 * `time`, `timeout`, `xargs`) from the front of a command, repeatedly and in any order,
 * with their options. A wrapper that runs nothing (`sudo -l`, `env` alone) stays the
 * command. `xargs` with no command runs `echo`, as it does.
 *
 * @example unwrapCommand(words('sudo -u root env FOO=1 git push')) // argv git push, wrappers sudo, env
 */
export function unwrapCommand(words: readonly ShellWord[]): UnwrappedCommand {
  let argv = words;
  const wrappers: string[] = [];
  let extended = false;
  let template: string | undefined;
  for (;;) {
    const name = commandName(argv[0]);
    const wrapper = name === undefined ? undefined : WRAPPERS.get(name);
    if (name === undefined || wrapper === undefined) break;
    const step = wrapper(argv);
    if (step.kind === 'keep') break;
    if (step.kind === 'default') argv = step.argv;
    else argv = argv.slice(step.kind === 'strip' ? step.next : step.at);
    if (step.kind === 'strip' && step.template !== undefined) template = step.template;
    wrappers.push(name);
    extended ||= name === 'xargs';
    if (step.kind === 'unknowable') break;
  }
  return { argv, wrappers, extended, ...(template === undefined ? {} : { template }) };
}
