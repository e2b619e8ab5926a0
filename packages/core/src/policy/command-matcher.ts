import { compileCommandGlob } from './command-glob.js';
import type { CommandShape } from './command-shape.js';
import type { ShellPart } from './decision-types.js';
import { compilePathPattern, type OperandFact, operandMeets, type PathPattern } from './operand-path.js';
import { OPTION_TABLES } from './option-aliases.js';
import { canonicalFlag } from './policy-flag.js';
import type { CommandPattern } from './policy-types.js';

/** A `match.command` shape compiled once per policy version. */
export interface CompiledCommandPattern {
  readonly source: CommandPattern;
  readonly names?: readonly RegExp[];
  readonly subcommands?: readonly RegExp[];
  /** The pattern's flags in the canonical form of a table; `undefined` when that table lacks one. */
  flagsFor(table: string): readonly string[] | undefined;
  readonly operands?: readonly PathPattern[];
  readonly writes?: readonly PathPattern[];
}

/** Compile a command pattern; flags are resolved per option table on first use. */
export function compileCommandPattern(source: CommandPattern): CompiledCommandPattern {
  const byTable = new Map<string, readonly string[] | undefined>();
  const { flags } = source;
  return {
    source,
    names: source.names?.map(compileCommandGlob),
    subcommands: source.subcommands?.map(compileCommandGlob),
    flagsFor(table) {
      if (flags === undefined) return [];
      if (byTable.has(table)) return byTable.get(table);
      const canonical = flags.map((flag) => canonicalFlag(table, flag));
      const known = canonical.every((flag) => flag !== undefined) ? (canonical as string[]) : undefined;
      byTable.set(table, known);
      return known;
    },
    operands: source.operands?.map(compilePathPattern),
    writes: source.writes?.map(compilePathPattern),
  };
}

/** A gate needs any fact to meet any pattern; an allow rule needs facts, each meeting a pattern. */
function factsMeet(patterns: readonly PathPattern[], facts: readonly OperandFact[], gate: boolean): boolean {
  if (gate) return facts.some((fact) => patterns.some((pattern) => operandMeets(pattern, fact, true)));
  return (
    facts.length > 0 && facts.every((fact) => patterns.some((pattern) => operandMeets(pattern, fact, false)))
  );
}

/**
 * Does a simple command meet a pattern? Gates meet a command by its basename (`/bin/rm` is
 * `rm`) and meet whatever an operand might name; allow rules meet only the name as written
 * and what operands certainly name, and never a command that writes files unless `writes` says so.
 */
export function commandPatternMeets(
  pattern: CompiledCommandPattern,
  part: ShellPart,
  shape: CommandShape,
  gate: boolean,
): boolean {
  const argv0 = part.argv[0] ?? '';
  if (pattern.names !== undefined) {
    const named = pattern.names.some((name) => name.test(argv0) || (gate && name.test(shape.name)));
    if (!named) return false;
  }
  // For a gate, a word only known at run time (`$X`, `$(…)`, what xargs appends) may be any
  // flag or the subcommand: it fails closed. An allow rule never counts on it.
  const unknownWords = gate && part.dynamic;
  if (
    pattern.subcommands !== undefined &&
    !pattern.subcommands.some((sub) => sub.test(shape.subcommand)) &&
    !(unknownWords && (shape.subcommand === '' || /[$`]/.test(shape.subcommand)))
  )
    return false;
  const flags = pattern.flagsFor(shape.table);
  if (flags === undefined) return false;
  if (!unknownWords && !flags.every((flag) => shape.flags.has(flag))) return false;
  if (pattern.operands !== undefined && !factsMeet(pattern.operands, shape.operandFacts, gate)) return false;
  if (pattern.writes !== undefined) return factsMeet(pattern.writes, shape.writeFacts, gate);
  return gate || shape.writeFacts.length === 0;
}

function list(values: Iterable<string>): string {
  return `[${[...values].join(', ')}]`;
}

/** `rm {flags: [recursive, force], operands: [/]}` for `explain`. */
export function describeShape(shape: CommandShape): string {
  // Only tools with subcommands take the subcommand out of the operands.
  const sub = OPTION_TABLES.get(shape.name)?.subcommands === undefined ? '' : ` ${shape.subcommand}`;
  const writes = shape.writes.length === 0 ? '' : `, writes: ${list(shape.writes)}`;
  return `${shape.name}${sub} {flags: ${list([...shape.flags].sort())}, operands: ${list(shape.operands)}${writes}}`;
}

/** `{name: [rm], flags: [recursive], operands: [/]}` for `explain`. */
export function describePattern(pattern: CommandPattern): string {
  const keys: string[] = [];
  if (pattern.names !== undefined) keys.push(`name: ${list(pattern.names)}`);
  if (pattern.subcommands !== undefined) keys.push(`subcommand: ${list(pattern.subcommands)}`);
  if (pattern.flags !== undefined) keys.push(`flags: ${list(pattern.flags)}`);
  if (pattern.operands !== undefined) keys.push(`operands: ${list(pattern.operands)}`);
  if (pattern.writes !== undefined) keys.push(`writes: ${list(pattern.writes)}`);
  return `{${keys.join(', ')}}`;
}
