import { commandName } from './command-unwrapper.js';
import {
  awkRunsCommands,
  DESCRIPTOR_PATH,
  interpreterCode,
  interpreterOf,
  sedRunsCommands,
} from './interpreter-work.js';
import type { ShellWord } from './shell-word.js';
import { describeStdin, knownStdinText, type StdinSource } from './stdin-source.js';

/** More commands that a command runs: a script to parse, a command to decompose, or something unknowable. */
export type NestedWork =
  /** Shell source run by `bash -c`, `eval`, `ssh host …`, `watch`, a shell reading a known stdin. */
  | { readonly kind: 'script'; readonly wrapper: string; readonly source: ShellWord }
  /** A command given as words (`docker exec c rm x`, `find -exec rm {} ;` with `fills` filled in at run time). */
  | {
      readonly kind: 'command';
      readonly wrapper: string;
      readonly words: readonly ShellWord[];
      readonly fills?: string;
    }
  /** Code that cannot be known before it runs (`curl … | sh`, `python -c`, an interactive shell). */
  | { readonly kind: 'opaque'; readonly wrapper: string; readonly text: string };

/** Shells whose scripts are parsed as bash (close enough to fail closed: what bash cannot parse is refused). */
const POSIX_SHELL =
  /^(sh|bash|dash|zsh|ksh|ksh93|mksh|pdksh|lksh|oksh|loksh|ash|yash|posh|rbash|osh|bash[0-9.]+|sh\.distrib)$/;
/** Shells of other languages: whatever they are given to run is opaque. */
const OTHER_SHELL = /^(fish|csh|tcsh|nu|xonsh|elvish|pwsh|powershell|ion|ysh|rc|es)$/;
/** Shell options that take the next word as their value. */
const SHELL_LONG_WITH_VALUE = new Set(['--rcfile', '--init-file', '--emulate']);
const FIND_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const SSH_WITH_VALUE = 'BbcDEeFIiJLlmOoPpQRSWw';
/** `ssh -o` settings whose value is a command run locally through the shell. */
const SSH_COMMAND_OPTIONS = /^(proxycommand|localcommand|knownhostscommand|remotecommand)[= ]/i;

/** A script whose text is only known at run time. */
function unknowableScript(words: readonly ShellWord[]): ShellWord {
  return { text: words.map((word) => word.text).join(' '), dynamic: true, glob: false };
}

function opaque(wrapper: string, text: string): NestedWork {
  return { kind: 'opaque', wrapper, text };
}

/** A script that a command reads from stdin: decomposed when the line holds it, opaque otherwise. */
function stdinScript(wrapper: string, stdin: StdinSource | undefined): NestedWork {
  const text = knownStdinText(stdin);
  return text === undefined
    ? opaque(wrapper, describeStdin(stdin))
    : { kind: 'script', wrapper, source: text };
}

function scriptOrOpaque(wrapper: string, source: ShellWord): NestedWork {
  return { kind: 'script', wrapper, source: source.dynamic ? unknowableScript([source]) : source };
}

function shellWork(name: string, argv: readonly ShellWord[], stdin: StdinSource | undefined): NestedWork[] {
  const other = OTHER_SHELL.test(name);
  let runsArgument = false;
  let readsStdin = false;
  let index = 1;
  while (index < argv.length) {
    const word = argv[index] as ShellWord;
    // Which word is the script cannot be known: treat all that follows as an unknown script.
    if (word.dynamic)
      return [opaque(runsArgument ? `${name} -c` : name, unknowableScript(argv.slice(index)).text)];
    const text = word.text;
    if (text === '--' || text === '-') {
      index++;
      if (text === '-') readsStdin = true;
      break;
    }
    if (text.startsWith('--')) {
      if (text === '--version' || text === '--help') return [];
      if (other && /^--(command|c)$/.test(text)) runsArgument = true;
      index += SHELL_LONG_WITH_VALUE.has(text) ? 2 : 1;
      continue;
    }
    if (!/^[-+]./.test(text)) break;
    const letters = text.slice(1);
    if (
      text.startsWith('-') &&
      (letters.includes('c') || (other && /^(Command|EncodedCommand|e)$/i.test(letters)))
    )
      runsArgument = true;
    if (letters.includes('s')) readsStdin = true;
    // `-o pipefail`, `-O extglob`: each such letter takes the next word.
    index += 1 + (letters.match(/[oO]/g)?.length ?? 0);
  }
  const operand = argv[index];
  const wrapper = `${name} -c`;
  if (runsArgument) {
    if (operand === undefined) return [];
    if (other) return [opaque(wrapper, operand.text)];
    return [scriptOrOpaque(wrapper, operand)];
  }
  if (operand !== undefined && !readsStdin) {
    // A script file is judged by its name, like any program; a descriptor or a process
    // substitution is a script that only exists at run time.
    if (operand.dynamic || DESCRIPTOR_PATH.test(operand.text)) {
      return operand.text === '/dev/stdin' || /\/fd\/0$/.test(operand.text)
        ? [other ? opaque(`${name} -s`, describeStdin(stdin)) : stdinScript(`${name} -s`, stdin)]
        : [opaque(`${name} ${operand.text}`, operand.text)];
    }
    return [];
  }
  if (other) return [opaque(`${name} -s`, describeStdin(stdin))];
  return [stdinScript(`${name} -s`, stdin)];
}

/** `su -c 'script'` and `runuser -c 'script'` hand the script to the target user's shell; without one, a login shell. */
function suWork(name: string, argv: readonly ShellWord[], stdin: StdinSource | undefined): NestedWork[] {
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index] as ShellWord;
    const next = argv[index + 1];
    const text = word.text;
    if (word.dynamic) return [opaque(`${name} -c`, unknowableScript(argv.slice(index)).text)];
    if (text === '--') break;
    if (text === '--help' || text === '--version' || text === '-V') return [];
    const long = /^--(?:session-)?command(=.*)?$/.exec(text);
    const cluster = /^-[a-zA-Z]*c(.*)$/.exec(text);
    let source: ShellWord | undefined;
    if (long !== null) {
      source = long[1] === undefined ? next : { ...word, text: long[1].slice(1) };
    } else if (cluster !== null && !text.startsWith('--')) {
      source = cluster[1] === '' ? next : { ...word, text: cluster[1] ?? '' };
    } else continue;
    if (source === undefined) return [];
    return [scriptOrOpaque(`${name} -c`, source)];
  }
  // `runuser -u user -- cmd` runs a command (the unwrapper strips it); else a shell reads stdin.
  if (name === 'runuser' && argv.some((word) => word.text === '-u' || word.text.startsWith('--user')))
    return [];
  return [stdinScript(`${name} (login shell)`, stdin)];
}

function evalWork(argv: readonly ShellWord[]): NestedWork[] {
  const args = argv.slice(argv[1]?.text === '--' && !argv[1].dynamic ? 2 : 1);
  if (args.length === 0) return [];
  const text = args.map((word) => word.text).join(' ');
  return [scriptOrOpaque('eval', { text, dynamic: args.some((word) => word.dynamic), glob: false })];
}

/** `source file` runs a file in this shell: judged by name, unless it reads a descriptor or a run-time name. */
function sourceWork(name: string, argv: readonly ShellWord[], stdin: StdinSource | undefined): NestedWork[] {
  const operand = argv[1]?.text === '--' ? argv[2] : argv[1];
  if (operand === undefined) return [];
  if (operand.text === '/dev/stdin' || /\/fd\/0$/.test(operand.text)) return [stdinScript(name, stdin)];
  if (operand.dynamic || DESCRIPTOR_PATH.test(operand.text))
    return [opaque(`${name} ${operand.text}`, operand.text)];
  return [];
}

/** Words whose text is filled in at run time by `by` (`{}` of `find -exec`). */
function filledIn(words: readonly ShellWord[], by: string): ShellWord[] {
  return words.map((word) =>
    word.text.includes('{}')
      ? { text: word.text.replaceAll('{}', `$(${by})`), dynamic: true, glob: false }
      : word,
  );
}

function findWork(argv: readonly ShellWord[]): NestedWork[] {
  const work: NestedWork[] = [];
  for (let index = 1; index < argv.length; index++) {
    const action = argv[index] as ShellWord;
    if (action.dynamic || !FIND_ACTIONS.has(action.text)) continue;
    let end = index + 1;
    while (end < argv.length && !(argv[end]?.text === ';' || argv[end]?.text === '+')) end++;
    const words = argv.slice(index + 1, end);
    if (words.length > 0)
      work.push({
        kind: 'command',
        wrapper: `find ${action.text}`,
        words: filledIn(words, 'find'),
        fills: '$(find)',
      });
    index = end;
  }
  return work;
}

/** `alias name='value'`: the value is shell source that runs wherever the name is used. */
function aliasWork(argv: readonly ShellWord[]): NestedWork[] {
  return argv.slice(1).flatMap((word): NestedWork[] => {
    const equals = word.text.indexOf('=');
    if (equals <= 0) return [];
    const value = { ...word, text: word.text.slice(equals + 1) };
    return [scriptOrOpaque('alias', value)];
  });
}

/** `trap 'handler' SIGNAL…`: the handler is shell source run later. */
function trapWork(argv: readonly ShellWord[]): NestedWork[] {
  let index = 1;
  while (argv[index]?.text.startsWith('-') && argv[index]?.text !== '-' && argv[index]?.text !== '--')
    index++;
  if (argv[index]?.text === '--') index++;
  const handler = argv[index];
  if (handler === undefined || argv.length === index + 1 || handler.text === '-' || handler.text === '')
    return [];
  return [scriptOrOpaque('trap', handler)];
}

/** `watch [options] command…` runs the words through `sh -c`; `watch -x` runs them as they are. */
function watchWork(argv: readonly ShellWord[]): NestedWork[] {
  let index = 1;
  let exec = false;
  while (index < argv.length) {
    const word = argv[index] as ShellWord;
    if (word.dynamic) return [opaque('watch', unknowableScript(argv.slice(index)).text)];
    const text = word.text;
    if (text === '--') {
      index++;
      break;
    }
    if (!text.startsWith('-') || text === '-') break;
    if (text === '-x' || text === '--exec') exec = true;
    if (/^-[a-zA-Z]*[nq]$/.test(text) || text === '--interval' || text === '--equexit') index++;
    index++;
  }
  const words = argv.slice(index);
  if (words.length === 0) return [];
  if (exec) return [{ kind: 'command', wrapper: 'watch -x', words }];
  return [
    scriptOrOpaque('watch', {
      text: words.map((word) => word.text).join(' '),
      dynamic: words.some((word) => word.dynamic),
      glob: false,
    }),
  ];
}

/** GNU `parallel [options] command ::: args`: the command is run through a shell with `{}` filled in. */
function parallelWork(argv: readonly ShellWord[], stdin: StdinSource | undefined): NestedWork[] {
  let index = 1;
  while (index < argv.length && (argv[index] as ShellWord).text.startsWith('-')) {
    if ((argv[index] as ShellWord).dynamic)
      return [opaque('parallel', unknowableScript(argv.slice(index)).text)];
    index++;
  }
  const end = argv.findIndex((word, at) => at >= index && /^:::+\+?$/.test(word.text));
  const words = filledIn(argv.slice(index, end < 0 ? argv.length : end), 'parallel');
  if (words.length === 0) return [stdinScript('parallel', stdin)];
  return [
    {
      kind: 'script',
      wrapper: 'parallel',
      source: { text: words.map((word) => word.text).join(' '), dynamic: true, glob: false },
    },
  ];
}

/** `ssh [options] host [options] [command…]`: OpenSSH reads options on both sides of the host. */
function sshWork(argv: readonly ShellWord[], stdin: StdinSource | undefined): NestedWork[] {
  const work: NestedWork[] = [];
  let host: ShellWord | undefined;
  let index = 1;
  let noCommand = false;
  while (index < argv.length) {
    const word = argv[index] as ShellWord;
    if (word.dynamic) return [...work, opaque('ssh', unknowableScript(argv.slice(index)).text)];
    const text = word.text;
    if (text === '--') {
      index++;
      if (host === undefined) {
        host = argv[index];
        index++;
      }
      break;
    }
    if (!text.startsWith('-') || text === '-') {
      if (host !== undefined) break;
      host = word;
      index++;
      continue;
    }
    let taken = 1;
    for (let at = 1; at < text.length; at++) {
      const letter = text.charAt(at);
      if ('NOWV'.includes(letter)) noCommand = true;
      if (SSH_WITH_VALUE.includes(letter)) {
        const value = at < text.length - 1 ? text.slice(at + 1) : argv[index + 1]?.text;
        if (at === text.length - 1) taken = 2;
        if (letter === 'o' && value !== undefined && SSH_COMMAND_OPTIONS.test(value)) {
          const command = value.replace(/^[A-Za-z]+[= ]\s*/, '');
          work.push(scriptOrOpaque('ssh -o', { ...word, text: command }));
        }
        break;
      }
    }
    index += taken;
  }
  if (noCommand || host === undefined) return work;
  const command = argv.slice(index);
  if (command.length === 0) return [...work, stdinScript('ssh (remote shell)', stdin)];
  const text = command.map((word) => word.text).join(' ');
  return [
    ...work,
    scriptOrOpaque('ssh', { text, dynamic: command.some((word) => word.dynamic), glob: false }),
  ];
}

/** `docker|podman exec [options] container cmd…`, `kubectl exec … -- cmd…`: the command runs in a container. */
function containerWork(name: string, argv: readonly ShellWord[]): NestedWork[] {
  const sub = argv.findIndex((word, at) => at > 0 && !word.text.startsWith('-'));
  const subcommand = argv[sub]?.text;
  if (subcommand === undefined) return [];
  if (name === 'kubectl' || name === 'oc') {
    if (!['exec', 'run', 'debug', 'attach'].includes(subcommand)) return [];
    const dashes = argv.findIndex((word, at) => at > sub && word.text === '--');
    if (dashes < 0) return subcommand === 'exec' ? [opaque(`${name} exec`, 'a command without --')] : [];
    const words = argv.slice(dashes + 1);
    return words.length === 0 ? [] : [{ kind: 'command', wrapper: `${name} ${subcommand}`, words }];
  }
  let at = sub;
  if ((subcommand === 'container' || subcommand === 'compose') && argv[sub + 1] !== undefined) at = sub + 1;
  const verb = argv[at]?.text;
  if (verb !== 'exec' && verb !== 'run') return [];
  // Skip options; any option this does not know makes the container's command unknowable.
  const WITH_VALUE =
    /^(-[euwp]|--(env|env-file|user|workdir|detach-keys|name|network|volume|mount|entrypoint|platform|label|publish|hostname|memory|cpus|restart|pull|workdir))$/;
  const FLAGS = /^(-[dit]+|--(detach|interactive|tty|privileged|rm|init|read-only|no-deps|no-tty|quiet|T))$/;
  let index = at + 1;
  while (index < argv.length) {
    const word = argv[index] as ShellWord;
    if (word.dynamic) return [opaque(`${name} ${verb}`, unknowableScript(argv.slice(index)).text)];
    const text = word.text;
    if (text === '--') {
      index++;
      break;
    }
    if (!text.startsWith('-')) break;
    if (text.includes('=') && text.startsWith('--')) index++;
    else if (WITH_VALUE.test(text)) index += 2;
    else if (FLAGS.test(text)) index++;
    else return [opaque(`${name} ${verb}`, `a command after the unknown option ${text}`)];
  }
  if (verb === 'run' && hasOption(argv, index, 'entrypoint')) return [opaque(`${name} run`, 'an entrypoint')];
  const words = argv.slice(index + 1);
  return words.length === 0 ? [] : [{ kind: 'command', wrapper: `${name} ${verb}`, words }];
}

function hasOption(argv: readonly ShellWord[], end: number, option: string): boolean {
  return argv.slice(0, end).some((word) => word.text.startsWith(`--${option}`));
}

/** The scripts of a `sed` run: its `-e`/`--expression` values, or else its first operand. */
function sedScripts(argv: readonly ShellWord[]): ShellWord[] {
  const scripts: ShellWord[] = [];
  let firstOperand: ShellWord | undefined;
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index] as ShellWord;
    if (word.text === '-e' || word.text === '--expression') {
      const value = argv[++index];
      if (value !== undefined) scripts.push(value);
    } else if (word.text.startsWith('--expression=')) {
      scripts.push({ ...word, text: word.text.slice(13) });
    } else if (/^-[a-zA-Z]*e./.test(word.text) && !word.text.startsWith('--')) {
      scripts.push({ ...word, text: word.text.slice(word.text.indexOf('e') + 1) });
    } else if (word.dynamic || (!word.text.startsWith('-') && firstOperand === undefined)) {
      firstOperand ??= word;
    }
  }
  return scripts.length > 0 ? scripts : firstOperand === undefined ? [] : [firstOperand];
}

/** Programs that read commands from standard input (`at`, `batch`) when no file is named. */
function atWork(name: string, argv: readonly ShellWord[], stdin: StdinSource | undefined): NestedWork[] {
  if (argv.some((word) => /^-[a-zA-Z]*[fldrc]/.test(word.text) || word.text === '-V')) return [];
  return [stdinScript(name, stdin)];
}

/** Programs whose arguments can be code or a command they run. */
const RUNS_ARGUMENTS = new Set([
  'eval',
  'source',
  '.',
  'su',
  'runuser',
  'find',
  'alias',
  'trap',
  'watch',
  'parallel',
  'ssh',
  'docker',
  'podman',
  'nerdctl',
  'kubectl',
  'oc',
  'flock',
  'awk',
  'gawk',
  'mawk',
  'nawk',
  'sed',
  'gsed',
  'env',
  'sudo',
  'doas',
  'xargs',
]);

function runsItsArguments(name: string, argv: readonly ShellWord[]): boolean {
  // `xargs git` takes its subcommand from the input; `xargs git add` only file names.
  if (name === 'git') return argv.slice(1).every((word) => word.dynamic);
  return (
    POSIX_SHELL.test(name) ||
    OTHER_SHELL.test(name) ||
    RUNS_ARGUMENTS.has(name) ||
    interpreterOf(name) !== undefined
  );
}

/**
 * The scripts, commands and unknowables a command runs in turn: shells by any name
 * (`-c`, `-s`, stdin from a pipe, a here-document or a descriptor, an interactive
 * shell), `eval`, `source`/`.`, `su`/`runuser`, `find -exec`, `alias` and `trap`
 * values, `watch`, `parallel`, `ssh host cmd`, `docker|podman|kubectl exec|run`, `at`,
 * interpreters running inline or piped code (`python -c`, `node -e`, `perl -e`, …),
 * `awk` programs and `sed` scripts that can run commands, and terminal multiplexers.
 *
 * @example nestedWorkOf(words("bash -lc 'rm -rf /'"), undefined) // one script: rm -rf /
 */
export function nestedWorkOf(
  argv: readonly ShellWord[],
  stdin: StdinSource | undefined,
  appended = false,
): NestedWork[] {
  const name = commandName(argv[0]);
  if (name === undefined) return [];
  if (POSIX_SHELL.test(name) || OTHER_SHELL.test(name)) {
    const work = shellWork(name, argv, stdin);
    // `xargs sh -c 'script'` appends positional parameters; `xargs sh -c` appends the script.
    const literalScript = work.some((item) => item.kind === 'script' && item.wrapper === `${name} -c`);
    return appended && !literalScript ? [opaque(name, 'code appended at run time')] : work;
  }
  // Arguments appended at run time (`xargs eval`) can be the very code such a command runs.
  if (appended && runsItsArguments(name, argv)) return [opaque(name, 'code appended at run time')];
  switch (name) {
    case 'eval':
      return evalWork(argv);
    case 'source':
    case '.':
      return sourceWork(name, argv, stdin);
    case 'su':
    case 'runuser':
      return suWork(name, argv, stdin);
    case 'find':
      return findWork(argv);
    case 'alias':
      return aliasWork(argv);
    case 'trap':
      return trapWork(argv);
    case 'watch':
      return watchWork(argv);
    case 'parallel':
      return parallelWork(argv, stdin);
    case 'ssh':
      return sshWork(argv, stdin);
    case 'docker':
    case 'podman':
    case 'nerdctl':
    case 'kubectl':
    case 'oc':
      return containerWork(name, argv);
    case 'flock': {
      const at = argv.findIndex((word) => ['-c', '--command'].includes(word.text));
      const script = at < 0 ? undefined : argv[at + 1];
      return script === undefined ? [] : [scriptOrOpaque('flock -c', script)];
    }
    case 'at':
    case 'batch':
      return atWork(name, argv, stdin);
    case 'tmux':
    case 'screen':
    case 'byobu':
      return argv.length > 1 && /^(ls|list-sessions|-ls|-list|-v|-V)$/.test(argv[1]?.text ?? '')
        ? []
        : [opaque(name, 'what the multiplexer’s shell is sent')];
    case 'awk':
    case 'gawk':
    case 'mawk':
    case 'nawk': {
      const program = argv.slice(1).find((word) => !word.text.startsWith('-'));
      const usesFile = argv.some((word) => /^-f|^--file/.test(word.text));
      return !usesFile && program !== undefined && awkRunsCommands(program)
        ? [opaque(name, program.text)]
        : [];
    }
    case 'sed':
    case 'gsed':
      return sedScripts(argv).some(sedRunsCommands)
        ? [opaque(name, 'a sed script that can run commands')]
        : [];
    default: {
      const interpreter = interpreterOf(name);
      if (interpreter === undefined) return [];
      const code = interpreterCode(interpreter, argv);
      return code.kind === 'opaque' ? [opaque(name, `code that ${code.why}`)] : [];
    }
  }
}
