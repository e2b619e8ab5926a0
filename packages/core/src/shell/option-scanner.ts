import { DecompositionError } from './decomposition-error.js';
import type { ShellWord } from './shell-word.js';

/**
 * The options a wrapper command (`sudo`, `env`, `timeout`, …) takes, as getopt sees
 * them: options end at the first word that is not one, or at `--`.
 */
export interface OptionGrammar {
  /** Short options that take a value, attached (`-uroot`) or as the next word (`-u root`). */
  readonly shortWithValue?: string;
  /** Short options whose value can only be attached (`xargs -i{}`). */
  readonly shortOptionalValue?: string;
  /** Short options without a value; they may be clustered (`-Ei`). */
  readonly shortFlags?: string;
  /** Long options that take a value (`--user=root` or `--user root`). */
  readonly longWithValue?: readonly string[];
  /** Long options without a value, or whose value can only follow `=`. */
  readonly longFlags?: readonly string[];
  /** Options that mean no command is run (`sudo -l`, `--help`): the wrapper stays the command. */
  readonly noCommand?: readonly string[];
  /** Options this decomposer refuses to guess about (`env -S` re-splits a string into words). */
  readonly refused?: readonly string[];
  /** `nice -10`: a dash and digits is an option. */
  readonly numericOption?: boolean;
  /** `env -`: a lone dash is an option. */
  readonly loneDashOption?: boolean;
}

/** One option as given: `-u root` is `{ name: '-u', value: 'root' }`. */
export interface GivenOption {
  readonly name: string;
  readonly value?: string;
}

/** Where a wrapper's options end. */
export type OptionScan =
  /** The command starts at `next` (which may be past the end: no command). */
  | { readonly kind: 'command'; readonly next: number; readonly options: readonly GivenOption[] }
  /** An option says nothing is run, or an option's value is missing. */
  | { readonly kind: 'no-command' }
  /** The word at `at` is built at run time, so where options end cannot be known. */
  | { readonly kind: 'unknowable'; readonly at: number };

function refuse(wrapper: string, option: string): never {
  throw new DecompositionError(`unsupported ${wrapper} option ${JSON.stringify(option)}`);
}

const MISSING = Symbol('missing value');

/** A long option (`--user=root`, `--user root`, `--login`); the number of words it took. */
function longOption(
  wrapper: string,
  words: readonly ShellWord[],
  index: number,
  grammar: OptionGrammar,
): OptionScan | number {
  const text = (words[index] as ShellWord).text;
  const equals = text.indexOf('=');
  const name = equals < 0 ? text : text.slice(0, equals);
  if (grammar.refused?.includes(name)) refuse(wrapper, name);
  if (grammar.noCommand?.includes(name)) return { kind: 'no-command' };
  if (grammar.longFlags?.includes(name)) return 1;
  if (!grammar.longWithValue?.includes(name)) refuse(wrapper, name);
  if (equals >= 0) return 1;
  const value = words[index + 1];
  if (value === undefined) return { kind: 'no-command' };
  return value.dynamic ? { kind: 'unknowable', at: index + 1 } : 2;
}

/**
 * Scan the options of `wrapper` starting at `words[start]`. An option this grammar does
 * not know is refused rather than guessed: if it took a value, the value would be taken
 * for the command and the real command missed.
 */
export function scanOptions(
  wrapper: string,
  words: readonly ShellWord[],
  start: number,
  grammar: OptionGrammar,
): OptionScan {
  const { shortWithValue = '', shortOptionalValue = '', shortFlags = '' } = grammar;
  const options: GivenOption[] = [];
  let index = start;
  while (index < words.length) {
    const word = words[index] as ShellWord;
    if (word.dynamic) return { kind: 'unknowable', at: index };
    const text = word.text;
    if (text === '--') return { kind: 'command', next: index + 1, options };
    const numeric = grammar.numericOption === true && /^--?\d+$/.test(text);
    if ((text === '-' && grammar.loneDashOption) || numeric) {
      options.push({ name: text });
      index++;
      continue;
    }
    if (!text.startsWith('-') || text === '-') break;
    if (text.startsWith('--')) {
      const taken = longOption(wrapper, words, index, grammar);
      if (typeof taken !== 'number') return taken;
      const equals = text.indexOf('=');
      const value = equals >= 0 ? text.slice(equals + 1) : taken === 2 ? words[index + 1]?.text : undefined;
      options.push({
        name: equals >= 0 ? text.slice(0, equals) : text,
        ...(value === undefined ? {} : { value }),
      });
      index += taken;
      continue;
    }
    let taken = 1;
    for (let at = 1; at < text.length; at++) {
      const letter = text.charAt(at);
      const name = `-${letter}`;
      if (grammar.refused?.includes(name)) refuse(wrapper, name);
      if (grammar.noCommand?.includes(name)) return { kind: 'no-command' };
      const attached = text.slice(at + 1);
      if (shortWithValue.includes(letter)) {
        const next = words[index + 1];
        const value = attached !== '' ? attached : next === undefined ? MISSING : next;
        if (value === MISSING) return { kind: 'no-command' };
        if (typeof value !== 'string') {
          if (value.dynamic) return { kind: 'unknowable', at: index + 1 };
          taken = 2;
        }
        options.push({ name, value: typeof value === 'string' ? value : value.text });
        break;
      }
      if (shortOptionalValue.includes(letter)) {
        options.push({ name, ...(attached === '' ? {} : { value: attached }) });
        break;
      }
      if (!shortFlags.includes(letter)) refuse(wrapper, name);
      options.push({ name });
    }
    index += taken;
  }
  return { kind: 'command', next: index, options };
}
