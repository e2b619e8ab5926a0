import { normaliseSignal, OPTION_TABLES, type OptionTable } from './option-aliases.js';

/** The option table a shape was read with: `rm`, `git push`, or `` for none. */
export function optionTable(table: string): OptionTable | undefined {
  if (table === '') return undefined;
  const space = table.indexOf(' ');
  if (space < 0) return OPTION_TABLES.get(table);
  const outer = OPTION_TABLES.get(table.slice(0, space))?.subcommands;
  const sub = table.slice(space + 1);
  return outer !== undefined && Object.hasOwn(outer, sub) ? outer[sub] : undefined;
}

/** The table a policy's `{name, subcommand}` reads flags with, as the shape would name it. */
export function tableNameFor(name: string, subcommand: string | undefined): string {
  const table = OPTION_TABLES.get(name);
  if (table === undefined) return '';
  if (table.subcommands === undefined || table.expression === true) return name;
  return subcommand !== undefined && Object.hasOwn(table.subcommands, subcommand)
    ? `${name} ${subcommand}`
    : '';
}

/**
 * A flag as a policy writes it (`r`, `-R`, `--recursive`, `X=DELETE`, `9` for kill), in the
 * canonical form a shape read with `table` holds; `undefined` when the table has no such
 * option. Without a table the spelling is kept, dashes dropped.
 *
 * @example canonicalFlag('rm', '-R') // 'recursive'
 */
export function canonicalFlag(table: string, spelling: string): string | undefined {
  const body = spelling.replace(/^-{1,2}/, '');
  const equals = body.indexOf('=');
  const key = equals < 0 ? body : body.slice(0, equals);
  const value = equals < 0 ? undefined : body.slice(equals + 1);
  const options = optionTable(table);
  if (key === '') return undefined;
  if (options === undefined || options.expression === true || options.assignmentOperands !== undefined)
    return body;
  const canonical = key.length === 1 ? options.short[key] : options.long[key];
  if (canonical === undefined && options.signalOption !== undefined && /^(\d+|[A-Z][A-Z0-9+-]+)$/.test(key)) {
    return `${options.signalOption}=${normaliseSignal(key)}`;
  }
  if (canonical === undefined) return undefined;
  if (value === undefined) return canonical;
  const normalise = options.values?.[canonical];
  return `${canonical}=${normalise === undefined ? value : normalise(value)}`;
}

/** The spellings a table accepts, for error messages: `r, R, recursive, f, force, …`. */
export function flagSpellings(table: string): string {
  const options = optionTable(table);
  if (options === undefined) return '';
  return [...Object.keys(options.short), ...Object.keys(options.long)].join(', ');
}
