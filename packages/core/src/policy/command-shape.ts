import type { ShellPart } from './decision-types.js';
import { type OperandFact, operandFact } from './operand-path.js';
import { OPTION_TABLES, type OptionTable } from './option-aliases.js';

/**
 * A simple command by name, flags and operands, whatever the spelling of its options:
 * `rm -Rf -- //` and `/bin/rm --recursive --force /` have the same shape.
 */
export interface CommandShape {
  /** The basename of `argv[0]`: `/bin/rm` → `rm`. */
  readonly name: string;
  /** The first operand (`git push` → `push`); for tools with subcommands it is not an operand. */
  readonly subcommand: string;
  /** Canonical option names, plus `name=value` for options with a value (`request=DELETE`). */
  readonly flags: ReadonlySet<string>;
  /** Operands as written, and what each can name. */
  readonly operands: readonly string[];
  readonly operandFacts: readonly OperandFact[];
  /** Files the part's redirections write, as written, and what each can name. */
  readonly writes: readonly string[];
  readonly writeFacts: readonly OperandFact[];
  /** The option table the flags were read with: `rm`, `git push`, or `` (generic). */
  readonly table: string;
}

interface Reading {
  readonly flags: Set<string>;
  readonly operands: string[];
}

function addFlag(reading: Reading, table: OptionTable | undefined, name: string, value?: string): void {
  reading.flags.add(name);
  if (value === undefined) return;
  const normalise = table?.values?.[name];
  reading.flags.add(`${name}=${normalise === undefined ? value : normalise(value)}`);
}

/** The canonical names a long option spelling can stand for: one, or all candidates of an ambiguous prefix. */
export function longNames(table: OptionTable | undefined, name: string, abbreviations: boolean): string[] {
  if (table === undefined) return [name];
  const exact = table.long[name];
  if (exact !== undefined) return [exact];
  if (!abbreviations || table.abbreviations !== true) return [name];
  // getopt takes an unambiguous prefix; an ambiguous one is an error there, and every candidate here.
  const candidates = new Set<string>();
  for (const [long, canonical] of Object.entries(table.long))
    if (long.startsWith(name)) candidates.add(canonical);
  return candidates.size === 0 ? [name] : [...candidates];
}

function takesValue(table: OptionTable | undefined, canonical: string): boolean {
  return table?.withValue?.includes(canonical) === true;
}

const SIGNAL_WORD = /^-(\d+|SIG[A-Za-z0-9+-]+|[A-Z][A-Z0-9+-]+)$/;

/** Read one option word at `index`; returns how many words it took. */
function readOption(
  words: readonly string[],
  index: number,
  table: OptionTable | undefined,
  reading: Reading,
): number {
  const word = words[index] as string;
  const next = words[index + 1];
  const long = word.startsWith('--') || (table?.singleDashLong === true && word.length > 2);
  if (long) {
    const body = word.slice(word.startsWith('--') ? 2 : 1);
    const equals = body.indexOf('=');
    const name = equals < 0 ? body : body.slice(0, equals);
    const attached = equals < 0 ? undefined : body.slice(equals + 1);
    const names = longNames(table, name, true);
    const needsValue = attached === undefined && names.some((canonical) => takesValue(table, canonical));
    const value = needsValue ? next : attached;
    for (const canonical of names) addFlag(reading, table, canonical, value);
    return needsValue && next !== undefined ? 2 : 1;
  }
  if (table?.signalOption !== undefined && SIGNAL_WORD.test(word)) {
    addFlag(reading, table, table.signalOption, word.slice(1));
    return 1;
  }
  const body = word.slice(1);
  if (table?.modeOperands === true && [...body].some((letter) => table.short[letter] === undefined)) {
    reading.operands.push(word);
    return 1;
  }
  for (let at = 0; at < body.length; at++) {
    const letter = body[at] as string;
    const canonical = table?.short[letter] ?? letter;
    if (takesValue(table, canonical)) {
      const rest = body.slice(at + 1);
      addFlag(reading, table, canonical, rest === '' ? next : rest);
      return rest === '' && next !== undefined ? 2 : 1;
    }
    addFlag(reading, table, canonical);
  }
  return 1;
}

function readOperand(word: string, table: OptionTable | undefined, reading: Reading): void {
  const equals = word.indexOf('=');
  if (table?.assignmentOperands !== undefined && /^[a-z]+=/.test(word)) {
    const key = word.slice(0, equals);
    addFlag(reading, table, key, word.slice(equals + 1));
    if (table.assignmentOperands.includes(key)) reading.operands.push(word.slice(equals + 1));
    return;
  }
  if (table?.refspecs === true && (word.startsWith('+') || word.startsWith(':'))) {
    // `git push origin +main` forces, `git push origin :main` deletes.
    reading.flags.add(word.startsWith('+') ? 'force' : 'delete');
    reading.operands.push(word.startsWith('+') ? word.slice(1) : word);
    return;
  }
  reading.operands.push(word);
}

/**
 * Read options and operands from `words[start]` on. Options may follow operands (GNU
 * permutes them) and end at `--`. With `stopAtOperand`, stop before the first operand and
 * return its index (the subcommand).
 */
function readWords(
  words: readonly string[],
  start: number,
  table: OptionTable | undefined,
  reading: Reading,
  stopAtOperand: boolean,
): number {
  let index = start;
  while (index < words.length) {
    const word = words[index] as string;
    if (word === '--') {
      for (const rest of words.slice(index + 1)) readOperand(rest, table, reading);
      return words.length;
    }
    if (word.startsWith('-') && word !== '-') {
      index += readOption(words, index, table, reading);
      continue;
    }
    if (stopAtOperand) return index;
    readOperand(word, table, reading);
    index++;
  }
  return index;
}

/** `find PATH… EXPRESSION`: the paths come first; every `-word` of the expression is a flag. */
function readExpression(words: readonly string[], reading: Reading): void {
  let inExpression = false;
  for (const word of words.slice(1)) {
    if (!inExpression && (/^-./.test(word) || word === '(' || word === '!')) inExpression = true;
    if (!inExpression) reading.operands.push(word);
    else if (/^-./.test(word)) reading.flags.add(word.replace(/^-+/, ''));
  }
}

function basename(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash < 0 ? word : word.slice(slash + 1);
}

/** Compute a part's shape from its argv; see {@link commandShapeOf} for the cached form. */
export function computeCommandShape(argv: readonly string[], writes: readonly string[] = []): CommandShape {
  const name = basename(argv[0] ?? '');
  const table = OPTION_TABLES.get(name);
  const reading: Reading = { flags: new Set(), operands: [] };
  let subcommand = '';
  let tableName = table === undefined ? '' : name;
  if (table?.expression === true) {
    readExpression(argv, reading);
    subcommand = reading.operands[0] ?? '';
  } else if (table?.subcommands !== undefined) {
    const at = readWords(argv, 1, table, reading, true);
    subcommand = argv[at] ?? '';
    const inner = Object.hasOwn(table.subcommands, subcommand) ? table.subcommands[subcommand] : undefined;
    tableName = inner === undefined ? '' : `${name} ${subcommand}`;
    readWords(argv, at + 1, inner, reading, false);
  } else {
    readWords(argv, 1, table, reading, false);
    subcommand = reading.operands[0] ?? '';
  }
  return Object.freeze({
    name,
    subcommand,
    flags: reading.flags,
    operands: Object.freeze(reading.operands),
    operandFacts: Object.freeze(reading.operands.map(operandFact)),
    writes,
    writeFacts: Object.freeze(writes.map(operandFact)),
    table: tableName,
  });
}

// The decomposer returns the same frozen part for the same command line, so this cache hits.
const shapes = new WeakMap<ShellPart, CommandShape>();

/**
 * A shell part's shape, computed once per part object.
 *
 * @example commandShapeOf(part) // rm -r -f -- // → { name: 'rm', flags: {recursive, force}, operands: ['//'] }
 */
export function commandShapeOf(part: ShellPart): CommandShape {
  let shape = shapes.get(part);
  if (shape === undefined) {
    shape = computeCommandShape(part.argv, part.writes);
    shapes.set(part, shape);
  }
  return shape;
}

const variables = new WeakMap<ShellPart, Readonly<Record<string, unknown>>>();

/**
 * The CEL variable `command` for one part: `{text, argv, wrappers, dynamic, part, name,
 * subcommand, flags, operands, writes, opaque}`, built once per part object. Absolute
 * operands are shown normalised (`//` → `/`), the others as written.
 */
export function commandVariableOf(part: ShellPart): Readonly<Record<string, unknown>> {
  let variable = variables.get(part);
  if (variable === undefined) {
    const shape = commandShapeOf(part);
    variable = Object.freeze({
      text: part.text,
      argv: part.argv,
      wrappers: part.wrappers,
      dynamic: part.dynamic,
      part: true,
      name: shape.name,
      subcommand: shape.subcommand,
      flags: Object.freeze([...shape.flags].sort()),
      operands: Object.freeze(
        shape.operands.map((operand, index) => {
          const fact = shape.operandFacts[index];
          return fact?.kind === 'path' ? fact.path : operand;
        }),
      ),
      writes: part.writes,
      opaque: part.opaque,
    });
    variables.set(part, variable);
  }
  return variable;
}
