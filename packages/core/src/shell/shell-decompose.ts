import type { ShellDecomposition, ShellPart } from '../policy/decision-types.js';
import { type CollectedCommand, collectCommands } from './command-collector.js';
import { commandName, unwrapCommand } from './command-unwrapper.js';
import { DecompositionError, type WordBudget } from './decomposition-error.js';
import { nestedWorkOf } from './nested-work.js';
import { parseShellSyntax, ShellSyntaxError } from './shell-syntax-tree.js';
import type { ShellWord } from './shell-word.js';
import { assignmentEffect, normaliseToolArgv } from './tool-argv.js';

/** Longest command line (and nested script) decomposed, in UTF-8 bytes. */
export const MAX_COMMAND_BYTES = 64 * 1024;
/** Most simple commands one command line may contain, nested ones included. */
export const MAX_SHELL_PARTS = 256;
/** How deep `bash -c`, `eval` and friends may nest scripts. */
export const MAX_SCRIPT_DEPTH = 8;
/** Most words brace expansion may produce in one command line. */
const MAX_EXPANDED_WORDS = 10_000;
/** Longer command lines are decomposed every time rather than cached, so the cache stays small. */
const MAX_CACHED_LENGTH = 8 * 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Characters mvdan-sh reads differently from bash: U+0080 is its end-of-input mark (the
 * rest of the line would vanish), U+0081 its escaped-newline mark (it corrupts quoted
 * text), and it takes a carriage return for a blank where bash takes it for a letter
 * (so in `a\r#b; rm -rf /` it would see a comment where bash runs `rm`).
 */
const MISREAD_CHARACTER = /[\r\u0080\u0081]/;

interface Run {
  readonly parts: ShellPart[];
  readonly budget: WordBudget;
}

function utf8Length(text: string): number {
  // Each UTF-16 unit is at least one byte and at most three.
  if (text.length * 3 <= MAX_COMMAND_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

/** Input the parser would read differently from the shell is refused, not guessed at. */
function checkSource(source: string, where: string): void {
  if (source.length > MAX_COMMAND_BYTES || utf8Length(source) > MAX_COMMAND_BYTES) {
    throw new DecompositionError(`${where} is longer than ${MAX_COMMAND_BYTES} bytes`);
  }
  const nul = source.indexOf('\0');
  if (nul >= 0) throw new DecompositionError(`${where} contains a NUL character at offset ${nul}`);
  const misread = MISREAD_CHARACTER.exec(source);
  if (misread !== null) {
    const code = misread[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new DecompositionError(
      `${where} contains the control character U+${code} at offset ${misread.index}`,
    );
  }
  const surrogate = LONE_SURROGATE.exec(source);
  if (surrogate !== null) {
    throw new DecompositionError(
      `${where} is not well-formed Unicode (lone surrogate at offset ${surrogate.index})`,
    );
  }
}

interface PartFacts {
  /** What the part runs is only known at run time (a script from a pipe, `python -c`, …). */
  readonly opaque?: boolean;
  readonly writes?: readonly string[];
}

function addPart(
  run: Run,
  argv: readonly ShellWord[],
  wrappers: readonly string[],
  extended: boolean,
  facts: PartFacts = {},
): void {
  if (run.parts.length >= MAX_SHELL_PARTS) {
    throw new DecompositionError(`the command contains more than ${MAX_SHELL_PARTS} simple commands`);
  }
  const words = Object.freeze(argv.map((word) => word.text));
  // A command name that is a glob is chosen by the file system at run time.
  const unknownName = argv[0] === undefined || argv[0].dynamic || argv[0].glob;
  const dynamic = extended || unknownName || argv.some((word) => word.dynamic);
  run.parts.push(
    Object.freeze({
      argv: words,
      text: words.join(' '),
      wrappers: Object.freeze([...wrappers]),
      dynamic,
      opaque: facts.opaque === true || unknownName,
      writes: Object.freeze([...(facts.writes ?? [])]),
    }),
  );
}

/** Text that `find -exec` or `xargs -I` fills in at run time, and who fills it in. */
interface Template {
  readonly text: string;
  readonly by: string;
}

/** A part that stands for code only known at run time. */
function addOpaque(run: Run, text: string, wrappers: readonly string[]): void {
  addPart(run, [{ text, dynamic: true, glob: false }], wrappers, true, { opaque: true });
}

/** Scripts and unknowables that variables assigned on this command make programs run. */
function expandAssignments(
  assignments: readonly ShellWord[],
  wrappers: readonly string[],
  depth: number,
  run: Run,
): void {
  for (const assignment of assignments) {
    const effect = assignmentEffect(assignment);
    if (effect === undefined) continue;
    const inner = [...wrappers, `${effect.name}=`];
    if (effect.kind === 'opaque') addOpaque(run, assignment.text, inner);
    else expandScript(effect.source, inner, `${effect.name}=`, depth, run);
  }
}

function expandScript(
  source: ShellWord,
  wrappers: readonly string[],
  via: string,
  depth: number,
  run: Run,
): void {
  // The script is built at run time: one opaque part that stands for all it might run.
  if (source.dynamic) addOpaque(run, source.text.trim(), wrappers);
  else decomposeScript(source.text, wrappers, depth + 1, run, via);
}

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);

function expandCommand(
  command: CollectedCommand,
  filled: Template | undefined,
  depth: number,
  run: Run,
): void {
  expandAssignments(command.assignments, command.wrappers, depth, run);
  if (command.words.length === 0) return;
  const first = command.words[0];
  if (first !== undefined && !first.dynamic && DECLARATIONS.has(first.text)) {
    expandAssignments(command.words.slice(1), command.wrappers, depth, run);
  }
  const unwrapped = unwrapCommand(command.words, command.stdin);
  expandAssignments(unwrapped.assignments, command.wrappers, depth, run);
  const template = unwrapped.template === undefined ? filled : { text: unwrapped.template, by: 'xargs -I' };
  if (template !== undefined && unwrapped.argv[0]?.text.includes(template.text)) {
    throw new DecompositionError(`the command name is filled in at run time by ${template.by}`);
  }
  const tool = normaliseToolArgv(commandName(unwrapped.argv[0]), unwrapped.argv);
  const wrappers = [
    ...command.wrappers,
    ...command.assignments.map((word) => word.text),
    ...unwrapped.wrappers,
    ...tool.wrappers,
  ];
  const extended = filled !== undefined || unwrapped.extended;
  const opaque = unwrapped.opaque !== undefined || tool.opaque !== undefined;
  // What `xargs -I R` puts in place of R is only known at run time: shown, and matched, as unknown.
  const replace = unwrapped.template;
  const argv =
    replace === undefined
      ? tool.argv
      : tool.argv.map((word) =>
          word.text.includes(replace)
            ? { text: word.text.replaceAll(replace, '$(xargs)'), dynamic: true, glob: false }
            : word,
        );
  addPart(run, argv, wrappers, extended, { opaque, writes: command.writes });
  for (const script of tool.scripts)
    expandScript(script.source, [...wrappers, script.wrapper], script.wrapper, depth, run);
  for (const work of nestedWorkOf(unwrapped.argv, command.stdin, unwrapped.extended)) {
    const inner = [...wrappers, work.wrapper];
    if (work.kind === 'command') {
      expandCommand(
        { wrappers: inner, assignments: [], words: work.words, writes: [] },
        work.fills === undefined ? undefined : { text: work.fills, by: work.wrapper },
        depth,
        run,
      );
    } else if (
      template !== undefined &&
      (work.kind === 'opaque' ? work.text : work.source.text).includes(template.text)
    ) {
      throw new DecompositionError(`the ${work.wrapper} script is filled in at run time by ${template.by}`);
    } else if (work.kind === 'opaque') {
      addOpaque(run, work.text, inner);
    } else {
      expandScript(work.source, inner, work.wrapper, depth, run);
    }
  }
}

function decomposeScript(
  source: string,
  wrappers: readonly string[],
  depth: number,
  run: Run,
  via?: string,
): void {
  const where = via === undefined ? 'the command' : `the ${via} script`;
  if (depth > MAX_SCRIPT_DEPTH) {
    throw new DecompositionError(`scripts are nested more than ${MAX_SCRIPT_DEPTH} deep`);
  }
  checkSource(source, where);
  let file: ReturnType<typeof parseShellSyntax>;
  try {
    file = parseShellSyntax(source);
  } catch (error) {
    if (error instanceof ShellSyntaxError && via !== undefined) {
      throw new DecompositionError(`in ${where}: ${error.message}`);
    }
    throw error;
  }
  for (const command of collectCommands(file, wrappers, run.budget)) {
    expandCommand(command, undefined, depth, run);
  }
}

function failure(error: unknown): ShellDecomposition {
  const message =
    error instanceof DecompositionError || error instanceof ShellSyntaxError
      ? error.message
      : `the shell parser failed: ${error instanceof Error ? error.message : String(error)}`;
  return Object.freeze({ ok: false, error: message });
}

/**
 * Split a shell command line into the simple commands it runs, in source order, each
 * with its wrappers (`sudo`, `env`, `xargs`, `bash -c`, …) stripped and recorded.
 * Synchronous; never throws. Anything it cannot fully understand (a syntax error, a
 * limit, an unknown wrapper option) is `{ ok: false, error }`, which callers deny.
 *
 * @example decomposeShell('cd x && sudo git push --force').parts.map((p) => p.text) // ['cd x', 'git push --force']
 */
export function decomposeShell(command: string): ShellDecomposition {
  if (typeof command !== 'string') return failure(new DecompositionError('the command is not a string'));
  const run: Run = { parts: [], budget: { remaining: MAX_EXPANDED_WORDS } };
  try {
    decomposeScript(command, [], 0, run);
  } catch (error) {
    return failure(error);
  }
  return Object.freeze({ ok: true, parts: Object.freeze(run.parts) });
}

/**
 * `decomposeShell` behind a bounded LRU cache, for the hot path: the same command string
 * gets the same frozen result object. Command lines longer than 8 KiB are not cached.
 *
 * @example const decompose = createShellDecomposer(); decompose('ls') === decompose('ls') // true
 */
export function createShellDecomposer(capacity = 1024): (command: string) => ShellDecomposition {
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw new RangeError(`capacity must be a non-negative integer, got ${capacity}`);
  }
  const cache = new Map<string, ShellDecomposition>();
  return (command) => {
    const cached = cache.get(command);
    if (cached !== undefined) {
      // Re-insert so that Map order stays least recently used first.
      cache.delete(command);
      cache.set(command, cached);
      return cached;
    }
    const result = decomposeShell(command);
    if (capacity > 0 && typeof command === 'string' && command.length <= MAX_CACHED_LENGTH) {
      cache.set(command, result);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    }
    return result;
  };
}
