import { isMap, isSeq } from 'yaml';
import { canonicalFlag, flagSpellings, tableNameFor } from './policy-flag.js';
import { POLICY_KEYS } from './policy-keys.js';
import type { PolicyParseContext } from './policy-parse-context.js';
import type { CommandPattern } from './policy-types.js';
import { child, type YamlString, type YamlValue } from './policy-yaml-walker.js';

/** What `match.command` holds: text globs, shape patterns, or both (a part meets either). */
export interface CommandCondition {
  readonly globs: readonly string[];
  readonly patterns: readonly CommandPattern[];
}

const GLOB = /[*?]/;

function unique(strings: readonly YamlString[]): string[] {
  return [...new Set(strings.map((item) => item.value))];
}

/** Every flag must be an option of each literally named command's table (`recursiv` is a typo, not a flag). */
function checkFlags(
  context: PolicyParseContext,
  flags: readonly YamlString[],
  names: readonly string[],
  subcommands: readonly string[] | undefined,
  path: string,
): boolean {
  let ok = true;
  for (const name of names.filter((candidate) => !GLOB.test(candidate) && !candidate.includes('/'))) {
    for (const sub of subcommands ?? [undefined]) {
      const table = tableNameFor(name, sub);
      for (const [index, flag] of flags.entries()) {
        if (canonicalFlag(table, flag.value) !== undefined) continue;
        const expected = table === '' ? 'a flag name' : `one of: ${flagSpellings(table)}`;
        context.walker.report(
          flag.node,
          'unknown-flag',
          `${child(path, index)} "${flag.value}" is not an option of ${table || name}; expected ${expected}`,
        );
        ok = false;
      }
    }
  }
  return ok;
}

/**
 * Read one shape pattern: `{ name, subcommand, flags, operands, writes }`, each a string or
 * a list, at least one given.
 *
 * @example command: { name: rm, flags: [recursive], operands: ['/'] }
 */
function parsePattern(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
): CommandPattern | undefined {
  const { walker } = context;
  const fields = walker.fields(node, path, POLICY_KEYS.commandPattern);
  if (fields === undefined) return undefined;
  if (fields.size === 0) {
    walker.report(
      node,
      'invalid-value',
      `${path} is an empty mapping; expected at least one of: ${POLICY_KEYS.commandPattern.join(', ')}`,
    );
    return undefined;
  }
  let ok = true;
  const read = (key: string): readonly YamlString[] | undefined => {
    const field = fields.get(key);
    if (field === undefined) return undefined;
    const strings = walker.strings(field.value, child(path, key), { single: true });
    if (strings === undefined) ok = false;
    return strings;
  };
  const names = read('name');
  const subcommands = read('subcommand');
  const flags = read('flags');
  const operands = read('operands');
  const writes = read('writes');
  if (flags !== undefined) {
    const named = names === undefined ? [] : unique(names);
    const subs = subcommands === undefined ? undefined : unique(subcommands);
    if (!checkFlags(context, flags, named, subs, child(path, 'flags'))) ok = false;
  }
  if (!ok) return undefined;
  return {
    ...(names === undefined ? {} : { names: unique(names) }),
    ...(subcommands === undefined ? {} : { subcommands: unique(subcommands) }),
    ...(flags === undefined ? {} : { flags: unique(flags) }),
    ...(operands === undefined ? {} : { operands: unique(operands) }),
    ...(writes === undefined ? {} : { writes: unique(writes) }),
  };
}

/**
 * Read `match.command`: a text glob, a shape pattern, or a list mixing both. A part meets
 * the condition when it meets any item.
 *
 * @example command: ["git push*", { name: rm, flags: [recursive], operands: ['/'] }]
 */
export function parseCommandCondition(
  context: PolicyParseContext,
  node: YamlValue,
  path: string,
): CommandCondition | undefined {
  const { walker } = context;
  if (isMap(node)) {
    const pattern = parsePattern(context, node, path);
    return pattern === undefined ? undefined : { globs: [], patterns: [pattern] };
  }
  if (!isSeq(node)) {
    const globs = walker.strings(node, path, { single: true });
    return globs === undefined ? undefined : { globs: unique(globs), patterns: [] };
  }
  const items = walker.list(node, path) ?? [];
  if (items.length === 0) {
    walker.report(
      node,
      'invalid-value',
      `${path} is an empty list; expected at least one glob or command pattern`,
    );
    return undefined;
  }
  const globs: YamlString[] = [];
  const patterns: CommandPattern[] = [];
  let ok = true;
  for (const [index, item] of items.entries()) {
    if (isMap(item)) {
      const pattern = parsePattern(context, item, child(path, index));
      if (pattern === undefined) ok = false;
      else patterns.push(pattern);
      continue;
    }
    const glob = walker.string(item, child(path, index));
    if (glob === undefined) ok = false;
    else globs.push({ value: glob, node: item });
  }
  return ok ? { globs: unique(globs), patterns } : undefined;
}
