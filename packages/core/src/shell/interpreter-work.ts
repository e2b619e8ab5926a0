import type { ShellWord } from './shell-word.js';

/**
 * Language interpreters, and how each is told to run code given inline (`python -c`,
 * `node -e`) or read from standard input. Code in another language cannot be decomposed,
 * so such a run is opaque: judged by the strictest rule that could apply. A script file
 * named as an operand (`python3 manage.py`) is judged by its name, like any program.
 */
interface Interpreter {
  /** Short option letters and long options that take the code itself (`-c`, `-e`, `--eval`). */
  readonly inline: readonly string[];
  /** Short option letters that take a value (so the value is not taken for the script). */
  readonly shortWithValue: string;
  /** Long options that take the next word as a value. */
  readonly longWithValue: readonly string[];
  /** Options after which the program runs a module or file it names, not inline code (`python -m`). */
  readonly named?: readonly string[];
  /** Options that make it interactive (a prompt reads anything). */
  readonly interactive?: readonly string[];
}

const PYTHON: Interpreter = {
  inline: ['c'],
  shortWithValue: 'WXQ',
  longWithValue: ['--check-hash-based-pycs'],
  named: ['m'],
  interactive: ['i'],
};
const NODE: Interpreter = {
  inline: ['e', 'p', '--eval', '--print'],
  shortWithValue: 'rC',
  longWithValue: [
    '--require',
    '--import',
    '--loader',
    '--experimental-loader',
    '--conditions',
    '--input-type',
    '--title',
    '--env-file',
    '--inspect-port',
  ],
  interactive: ['i', '--interactive'],
};
const PERL: Interpreter = { inline: ['e', 'E'], shortWithValue: '', longWithValue: [] };
const RUBY: Interpreter = {
  inline: ['e'],
  shortWithValue: 'IrCEF',
  longWithValue: ['--encoding', '--external-encoding', '--internal-encoding'],
};
const PHP: Interpreter = {
  inline: ['r', 'B', 'R', 'F', 'E'],
  shortWithValue: 'cdz',
  longWithValue: [],
  interactive: ['a'],
};
const LUA: Interpreter = { inline: ['e'], shortWithValue: 'l', longWithValue: [], interactive: ['i'] };
const R: Interpreter = { inline: ['e'], shortWithValue: '', longWithValue: ['--file'] };
const OSASCRIPT: Interpreter = { inline: ['e'], shortWithValue: 'ls', longWithValue: [] };
const PLAIN: Interpreter = { inline: [], shortWithValue: '', longWithValue: [] };

const BY_NAME: ReadonlyArray<readonly [RegExp, Interpreter]> = [
  [/^(python|pypy)[0-9.]*$/, PYTHON],
  [/^(node|nodejs|bun)$/, NODE],
  [/^perl[0-9.]*$/, PERL],
  [/^(ruby|jruby)[0-9.]*$/, RUBY],
  [/^php[0-9.]*$/, PHP],
  [/^(lua|luajit)[0-9.]*$/, LUA],
  [/^(R|Rscript)$/, R],
  [/^osascript$/, OSASCRIPT],
  [
    /^(tclsh|wish|expect|guile|gawk-repl|irb|jshell|ghci|julia|sbcl|racket|scheme|clisp|groovysh)[0-9.]*$/,
    PLAIN,
  ],
];

/** The interpreter a command name stands for, if any. */
export function interpreterOf(name: string): Interpreter | undefined {
  return BY_NAME.find(([pattern]) => pattern.test(name))?.[1];
}

/** How an interpreter invocation gets its code. */
export type InterpreterCode =
  /** Inline code, code from stdin, or an interactive prompt: opaque. */
  | { readonly kind: 'opaque'; readonly why: string }
  /** A file or module it names: judged by name. */
  | { readonly kind: 'named' };

/** A path that reads a file descriptor (`/dev/stdin`, `/dev/fd/3`, `/proc/self/fd/0`). */
export const DESCRIPTOR_PATH = /^\/dev\/(stdin|fd\/\d+)$|^\/proc\/[^/]+\/fd\/\d+$/;

/**
 * Where this interpreter run takes its code from. Fail closed: code from standard input
 * is opaque even when the line holds it (a here-document of Python cannot be decomposed).
 *
 * @example interpreterCode(PYTHON, words('python3 -c "import os"')) // opaque
 */
export function interpreterCode(interpreter: Interpreter, argv: readonly ShellWord[]): InterpreterCode {
  const { inline, shortWithValue, longWithValue } = interpreter;
  for (let index = 1; index < argv.length; index++) {
    const word = argv[index] as ShellWord;
    if (word.dynamic) return { kind: 'opaque', why: 'its options are built at run time' };
    const text = word.text;
    if (text === '-') return { kind: 'opaque', why: 'it reads code from standard input' };
    if (text === '--') {
      const operand = argv[index + 1];
      return operandCode(operand);
    }
    if (text.startsWith('--')) {
      const name = text.split('=')[0] ?? text;
      if (inline.includes(name)) return { kind: 'opaque', why: `${name} runs code given inline` };
      if (interpreter.interactive?.includes(name)) return { kind: 'opaque', why: 'it is interactive' };
      if (longWithValue.includes(name) && !text.includes('=')) index++;
      continue;
    }
    if (!text.startsWith('-') || text.length === 1) return operandCode(word);
    for (let at = 1; at < text.length; at++) {
      const letter = text.charAt(at);
      if (inline.includes(letter)) return { kind: 'opaque', why: `-${letter} runs code given inline` };
      if (interpreter.interactive?.includes(letter)) return { kind: 'opaque', why: 'it is interactive' };
      if (interpreter.named?.includes(letter)) return { kind: 'named' };
      if (shortWithValue.includes(letter)) {
        if (at === text.length - 1) index++;
        break;
      }
    }
  }
  return { kind: 'opaque', why: 'it reads code from standard input or a prompt' };
}

function operandCode(operand: ShellWord | undefined): InterpreterCode {
  if (operand === undefined) return { kind: 'opaque', why: 'it reads code from standard input or a prompt' };
  if (operand.dynamic) return { kind: 'opaque', why: 'its script is named at run time' };
  if (DESCRIPTOR_PATH.test(operand.text) || operand.text === '-')
    return { kind: 'opaque', why: `it reads code from ${operand.text}` };
  return { kind: 'named' };
}

/** True when an awk program can run commands (`system()`, `print | "cmd"`, `"cmd" | getline`). */
export function awkRunsCommands(program: ShellWord): boolean {
  return program.dynamic || /system|\||getline/.test(program.text);
}

/** True when a sed script can run commands (GNU sed's `e` command or the `e` flag of `s`). */
export function sedRunsCommands(script: ShellWord): boolean {
  if (script.dynamic) return true;
  // Conservative: any `e` that stands as a command, or a flag run after an `s` substitution.
  return (
    /(^|[;\n{}])\s*([0-9$]+|\/[^/]*\/)?(,([0-9$]+|\/[^/]*\/))?\s*!?\s*e(\s|;|$)/.test(script.text) ||
    /s(.)(?:\\.|(?!\1).)*\1(?:\\.|(?!\1).)*\1[gpiImM0-9w]*e/.test(script.text)
  );
}
