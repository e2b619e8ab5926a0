import { type OptionGrammar, type OptionScan, scanOptions } from './option-scanner.js';
import { literalWord, type ShellWord } from './shell-word.js';
import { knownStdinText, type StdinSource } from './stdin-source.js';

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
  /** Why what finally runs cannot be known before run time (`chroot /x` starts a shell). */
  readonly opaque?: string;
  /** `NAME=value` words that `env`, `sudo` or `doas` set for the command. */
  readonly assignments: readonly ShellWord[];
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
  | { readonly kind: 'default'; readonly argv: readonly ShellWord[] }
  /** It runs something this cannot tell before run time (an interactive shell, an unknown option's effect). */
  | { readonly kind: 'opaque'; readonly why: string };

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

const SETSID: OptionGrammar = {
  shortFlags: 'cfw',
  longFlags: ['--ctty', '--fork', '--wait'],
  noCommand: ['--help', '--version', '-h', '-V'],
};
const STDBUF: OptionGrammar = {
  shortWithValue: 'ioe',
  longWithValue: ['--input', '--output', '--error'],
  noCommand: ['--help', '--version'],
};
const CHROOT: OptionGrammar = {
  longWithValue: ['--userspec', '--groups'],
  longFlags: ['--skip-chdir'],
  noCommand: ['--help', '--version'],
};
const FLOCK: OptionGrammar = {
  shortWithValue: 'wEc',
  shortFlags: 'sexnouFv',
  longWithValue: ['--timeout', '--wait', '--conflict-exit-code', '--command'],
  longFlags: [
    '--shared',
    '--exclusive',
    '--nonblock',
    '--nb',
    '--close',
    '--unlock',
    '--no-fork',
    '--verbose',
  ],
  noCommand: ['--help', '--version', '-h', '-V'],
};
const IONICE: OptionGrammar = {
  shortWithValue: 'cn',
  shortFlags: 't',
  longWithValue: ['--class', '--classdata'],
  longFlags: ['--ignore'],
  noCommand: ['-p', '-P', '-u', '--pid', '--pgid', '--uid', '--help', '--version'],
};
const CHRT: OptionGrammar = {
  shortWithValue: 'TPD',
  shortFlags: 'bdfiorRmav',
  longFlags: [
    '--batch',
    '--deadline',
    '--fifo',
    '--idle',
    '--other',
    '--rr',
    '--reset-on-fork',
    '--all-tasks',
    '--verbose',
  ],
  longWithValue: ['--sched-runtime', '--sched-period', '--sched-deadline'],
  noCommand: ['-p', '--pid', '-m', '--max', '--help', '--version'],
};
const TASKSET: OptionGrammar = {
  shortFlags: 'ac',
  longFlags: ['--all-tasks', '--cpu-list'],
  noCommand: ['-p', '--pid', '--help', '--version'],
};
const PKEXEC: OptionGrammar = {
  longWithValue: ['--user'],
  longFlags: ['--disable-internal-agent', '--keep-cwd'],
  noCommand: ['--help', '--version'],
};
const RUNUSER: OptionGrammar = {
  shortWithValue: 'ugGsw',
  shortFlags: 'lmpfP',
  longWithValue: ['--user', '--group', '--supp-group', '--shell', '--whitelist-environment'],
  longFlags: ['--login', '--preserve-environment', '--pty'],
  noCommand: ['--help', '--version'],
};

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Options, then one operand the wrapper takes for itself (a priority, a mask, a root, a lock file), then the command. */
function optionsOperandThenCommand(
  name: string,
  grammar: OptionGrammar,
  operands: number,
  noCommand: 'keep' | 'shell',
) {
  return (words: readonly ShellWord[]): WrapperStep => {
    const scan = scanOptions(name, words, 1, grammar);
    if (scan.kind !== 'command') return skipWhile(words, scan, () => false);
    const next = scan.next + operands;
    for (let at = scan.next; at < Math.min(next, words.length); at++)
      if ((words[at] as ShellWord).dynamic) return { kind: 'unknowable', at: next };
    if (next >= words.length)
      return noCommand === 'shell'
        ? { kind: 'opaque', why: `${name} starts an interactive shell` }
        : { kind: 'keep' };
    return { kind: 'strip', next };
  };
}

/** `sudo -s`, `sudo -i`, `doas -s` with no command start an interactive root shell. */
function interactiveShell(
  name: string,
  words: readonly ShellWord[],
  scan: OptionScan,
  shellOptions: readonly string[],
): WrapperStep {
  const step = skipWhile(words, scan, (text) => ASSIGNMENT.test(text));
  if (
    step.kind === 'keep' &&
    scan.kind === 'command' &&
    scan.options.some((option) => shellOptions.includes(option.name))
  )
    return { kind: 'opaque', why: `${name} starts an interactive shell` };
  return step;
}

/** Tools this does not model option by option: what they run is opaque unless no option precedes the command. */
function plainOrOpaque(name: string, noCommand: 'keep' | 'shell') {
  return (words: readonly ShellWord[]): WrapperStep => {
    const first = words[1];
    if (first === undefined)
      return noCommand === 'shell'
        ? { kind: 'opaque', why: `${name} starts an interactive shell` }
        : { kind: 'keep' };
    if (first.dynamic) return { kind: 'unknowable', at: 1 };
    if (first.text === '--') return words.length > 2 ? { kind: 'strip', next: 2 } : { kind: 'keep' };
    if (first.text.startsWith('-'))
      return {
        kind: 'opaque',
        why: `${name}'s options are not modelled, so the command it runs is not known`,
      };
    return { kind: 'strip', next: 1 };
  };
}

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
    sudo: (words) =>
      interactiveShell('sudo', words, scanOptions('sudo', words, 1, SUDO), [
        '-s',
        '-i',
        '--shell',
        '--login',
      ]),
    doas: (words) => interactiveShell('doas', words, scanOptions('doas', words, 1, DOAS), ['-s']),
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
    setsid: optionsThenCommand('setsid', SETSID),
    stdbuf: optionsThenCommand('stdbuf', STDBUF),
    chroot: optionsOperandThenCommand('chroot', CHROOT, 1, 'shell'),
    flock: (words) => {
      const scan = scanOptions('flock', words, 1, FLOCK);
      if (
        scan.kind === 'command' &&
        scan.options.some((option) => option.name === '-c' || option.name === '--command')
      )
        return { kind: 'keep' };
      // `flock file -c cmd`: the script is nested work, so flock stays the command.
      if (scan.kind === 'command' && ['-c', '--command'].includes(words[scan.next + 1]?.text ?? ''))
        return { kind: 'keep' };
      return optionsOperandThenCommand('flock', FLOCK, 1, 'keep')(words);
    },
    ionice: optionsThenCommand('ionice', IONICE),
    chrt: optionsOperandThenCommand('chrt', CHRT, 1, 'keep'),
    taskset: optionsOperandThenCommand('taskset', TASKSET, 1, 'keep'),
    pkexec: (words) => {
      const scan = scanOptions('pkexec', words, 1, PKEXEC);
      if (scan.kind === 'command' && scan.next >= words.length)
        return { kind: 'opaque', why: 'pkexec starts a root shell' };
      return skipWhile(words, scan, () => false);
    },
    runuser: (words) => {
      if (!words.some((word) => word.text === '-u' || word.text.startsWith('--user')))
        return { kind: 'keep' };
      if (words.some((word) => /^-[a-zA-Z]*c|^--command|^--session-command/.test(word.text)))
        return { kind: 'keep' };
      return optionsThenCommand('runuser', RUNUSER)(words);
    },
    busybox: (words) =>
      words.length > 1 && !(words[1] as ShellWord).text.startsWith('-')
        ? { kind: 'strip', next: 1 }
        : { kind: 'keep' },
    toybox: (words) =>
      words.length > 1 && !(words[1] as ShellWord).text.startsWith('-')
        ? { kind: 'strip', next: 1 }
        : { kind: 'keep' },
    unshare: plainOrOpaque('unshare', 'shell'),
    nsenter: plainOrOpaque('nsenter', 'shell'),
    'systemd-run': plainOrOpaque('systemd-run', 'keep'),
    strace: plainOrOpaque('strace', 'keep'),
    ltrace: plainOrOpaque('ltrace', 'keep'),
    firejail: plainOrOpaque('firejail', 'shell'),
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

/** What `xargs` appends when it is only known at run time. */
const APPENDED_BY_XARGS: ShellWord = { text: '$(xargs)', dynamic: true, glob: false };

/** Wrappers whose `NAME=value` words set the command's environment. */
const SETS_VARIABLES = new Set(['env', 'sudo', 'doas']);

/**
 * The words `xargs` appends when the line says exactly what it reads: a plain `xargs` (no
 * options) fed known text without quotes or backslashes, split at blanks as xargs does.
 * `undefined` when they are only known at run time.
 */
function xargsArguments(
  xargs: readonly ShellWord[],
  stdin: StdinSource | undefined,
): ShellWord[] | undefined {
  if (xargs[1]?.text.startsWith('-')) return undefined;
  const text = knownStdinText(stdin)?.text;
  if (text === undefined || /["'\\]/.test(text)) return undefined;
  return text
    .split(/[ \t\n]+/)
    .filter((word) => word !== '')
    .map(literalWord);
}

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
export function unwrapCommand(words: readonly ShellWord[], stdin?: StdinSource): UnwrappedCommand {
  let argv = words;
  const wrappers: string[] = [];
  const assignments: ShellWord[] = [];
  let extended = false;
  let template: string | undefined;
  let opaque: string | undefined;
  for (;;) {
    const name = commandName(argv[0]);
    const wrapper = name === undefined ? undefined : WRAPPERS.get(name);
    if (name === undefined || wrapper === undefined) break;
    const step = wrapper(argv);
    if (step.kind === 'keep') break;
    if (step.kind === 'opaque') {
      opaque = step.why;
      break;
    }
    if (step.kind === 'strip' && SETS_VARIABLES.has(name)) {
      assignments.push(
        ...argv.slice(1, step.next).filter((word) => !word.dynamic && ASSIGNMENT.test(word.text)),
      );
    }
    const current = argv;
    if (step.kind === 'default') argv = step.argv;
    else argv = argv.slice(step.kind === 'strip' ? step.next : step.at);
    if (step.kind === 'strip' && step.template !== undefined) template = step.template;
    wrappers.push(name);
    if (name === 'xargs') {
      const appended = step.kind === 'unknowable' ? undefined : xargsArguments(current, stdin);
      if (appended !== undefined && template === undefined) argv = [...argv, ...appended];
      else {
        extended = true;
        // Words appended at run time are shown, and matched, as one unknown word.
        if (template === undefined) argv = [...argv, APPENDED_BY_XARGS];
      }
    }
    if (step.kind === 'unknowable') break;
  }
  return {
    argv,
    wrappers,
    extended,
    assignments,
    ...(template === undefined ? {} : { template }),
    ...(opaque === undefined ? {} : { opaque }),
  };
}
