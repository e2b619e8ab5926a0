import { commandName } from './command-unwrapper.js';
import type { ShellWord } from './shell-word.js';

/** More commands that a command runs: a script to parse, or a command line to decompose. */
export type NestedWork =
  /** Shell source run by `bash -c`, `eval` or a shell reading a here-document. */
  | { readonly kind: 'script'; readonly wrapper: string; readonly source: ShellWord }
  /** A command given as words (`find -exec rm {} ;`), run with arguments filled in at run time. */
  | { readonly kind: 'command'; readonly wrapper: string; readonly words: readonly ShellWord[] };

/** Shells whose `-c` script is parsed as bash (close enough to fail closed: what bash cannot parse is refused). */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash']);
/** Shell options that take the next word as their value. */
const SHELL_LONG_WITH_VALUE = new Set(['--rcfile', '--init-file', '--emulate']);
const FIND_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/** A script whose text is only known at run time. */
function unknowableScript(words: readonly ShellWord[]): ShellWord {
  return { text: words.map((word) => word.text).join(' '), dynamic: true, glob: false };
}

function shellWork(name: string, argv: readonly ShellWord[], stdin: ShellWord | undefined): NestedWork[] {
  let runsArgument = false;
  let readsStdin = false;
  let index = 1;
  while (index < argv.length) {
    const word = argv[index] as ShellWord;
    // Which word is the script cannot be known: treat all that follows as an unknown script.
    if (word.dynamic)
      return [{ kind: 'script', wrapper: `${name} -c`, source: unknowableScript(argv.slice(index)) }];
    const text = word.text;
    if (text === '--' || text === '-') {
      index++;
      break;
    }
    if (text.startsWith('--')) {
      index += SHELL_LONG_WITH_VALUE.has(text) ? 2 : 1;
      continue;
    }
    if (!/^[-+]./.test(text)) break;
    const letters = text.slice(1);
    if (text.startsWith('-') && letters.includes('c')) runsArgument = true;
    if (letters.includes('s')) readsStdin = true;
    // `-o pipefail`, `-O extglob`: each such letter takes the next word.
    index += 1 + (letters.match(/[oO]/g)?.length ?? 0);
  }
  const operand = argv[index];
  if (runsArgument) {
    if (operand === undefined) return [];
    return [
      {
        kind: 'script',
        wrapper: `${name} -c`,
        source: operand.dynamic ? unknowableScript([operand]) : operand,
      },
    ];
  }
  if (operand !== undefined && !readsStdin) return [];
  return stdin === undefined ? [] : [{ kind: 'script', wrapper: `${name} -s`, source: stdin }];
}

/** `su -c 'script'` and `runuser -c 'script'` hand the script to the target user's shell. */
function suWork(name: string, argv: readonly ShellWord[]): NestedWork[] {
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index] as ShellWord;
    const next = argv[index + 1];
    const text = word.text;
    if (word.dynamic)
      return [{ kind: 'script', wrapper: `${name} -c`, source: unknowableScript(argv.slice(index)) }];
    if (text === '--') break;
    const long = /^--(?:session-)?command(=.*)?$/.exec(text);
    const cluster = /^-[a-zA-Z]*c(.*)$/.exec(text);
    let source: ShellWord | undefined;
    if (long !== null) {
      source = long[1] === undefined ? next : { ...word, text: long[1].slice(1) };
    } else if (cluster !== null && !text.startsWith('--')) {
      source = cluster[1] === '' ? next : { ...word, text: cluster[1] ?? '' };
    } else continue;
    if (source === undefined) return [];
    return [
      { kind: 'script', wrapper: `${name} -c`, source: source.dynamic ? unknowableScript([source]) : source },
    ];
  }
  return [];
}

function evalWork(argv: readonly ShellWord[]): NestedWork[] {
  const args = argv.slice(argv[1]?.text === '--' && !argv[1].dynamic ? 2 : 1);
  if (args.length === 0) return [];
  const text = args.map((word) => word.text).join(' ');
  return [
    {
      kind: 'script',
      wrapper: 'eval',
      source: { text, dynamic: args.some((word) => word.dynamic), glob: false },
    },
  ];
}

function findWork(argv: readonly ShellWord[]): NestedWork[] {
  const work: NestedWork[] = [];
  for (let index = 1; index < argv.length; index++) {
    const action = argv[index] as ShellWord;
    if (action.dynamic || !FIND_ACTIONS.has(action.text)) continue;
    let end = index + 1;
    while (end < argv.length && !(argv[end]?.text === ';' || argv[end]?.text === '+')) end++;
    const words = argv.slice(index + 1, end);
    if (words.length > 0) work.push({ kind: 'command', wrapper: `find ${action.text}`, words });
    index = end;
  }
  return work;
}

/**
 * The scripts and commands a command runs in turn: the `-c` script of `bash`, `sh`,
 * `zsh`, `dash` (and `ksh`, `mksh`, `ash`), a here-document fed to a shell that reads
 * its stdin, the words of `eval`, the `-c` script of `su` and `runuser`, and the command
 * of `find -exec`/`-execdir`/`-ok`/`-okdir`.
 *
 * @example nestedWorkOf(words("bash -lc 'rm -rf /'"), undefined) // one script: rm -rf /
 */
export function nestedWorkOf(argv: readonly ShellWord[], stdin: ShellWord | undefined): NestedWork[] {
  const name = commandName(argv[0]);
  if (name === undefined) return [];
  if (SHELLS.has(name)) return shellWork(name, argv, stdin);
  if (name === 'eval') return evalWork(argv);
  if (name === 'su' || name === 'runuser') return suWork(name, argv);
  if (name === 'find') return findWork(argv);
  return [];
}
