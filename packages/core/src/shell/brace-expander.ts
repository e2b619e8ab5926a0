import { DecompositionError, spendWords, type WordBudget } from './decomposition-error.js';
import type { WordPiece } from './shell-word.js';

/**
 * Bash brace expansion over a word's pieces: `{rm,-rf}` is two words, `a{1..3}` three.
 * It runs before anything else, so a command name hidden in braces is still seen.
 * Only unquoted text takes part; quoted and dynamic pieces are carried along as they are.
 */

type Token =
  | { readonly kind: 'open' | 'close' | 'comma' }
  | { readonly kind: 'piece'; readonly piece: WordPiece };

const OPEN: Token = { kind: 'open' };
const CLOSE: Token = { kind: 'close' };
const COMMA: Token = { kind: 'comma' };

function tokenize(pieces: readonly WordPiece[]): Token[] {
  const tokens: Token[] = [];
  for (const piece of pieces) {
    if (piece.kind !== 'literal') {
      tokens.push({ kind: 'piece', piece });
      continue;
    }
    for (const run of piece.bytes.split(/([{},])/)) {
      if (run === '{') tokens.push(OPEN);
      else if (run === '}') tokens.push(CLOSE);
      else if (run === ',') tokens.push(COMMA);
      else if (run !== '') tokens.push({ kind: 'piece', piece: { bytes: run, kind: 'literal' } });
    }
  }
  return tokens;
}

function untokenize(tokens: readonly Token[]): WordPiece[] {
  return tokens.map((token) =>
    token.kind === 'piece'
      ? token.piece
      : { bytes: token.kind === 'open' ? '{' : token.kind === 'close' ? '}' : ',', kind: 'literal' },
  );
}

const NUMBER_SEQUENCE = /^([+-]?\d+)\.\.([+-]?\d+)(?:\.\.([+-]?\d+))?$/;
const CHAR_SEQUENCE = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.([+-]?\d+))?$/;

function stepsOf(from: number, to: number, increment: string | undefined, budget: WordBudget): number[] {
  const step = Math.abs(Number.parseInt(increment ?? '1', 10)) || 1;
  const count = Math.floor(Math.abs(to - from) / step) + 1;
  spendWords(budget, count);
  const direction = to >= from ? 1 : -1;
  return Array.from({ length: count }, (_, index) => from + direction * step * index);
}

function padded(value: number, width: number): string {
  const digits = String(Math.abs(value)).padStart(value < 0 ? width - 1 : width, '0');
  return value < 0 ? `-${digits}` : digits;
}

/** The text of a `{…}` body when it is one unquoted run that reads as a sequence (`1..5`, `a..e..2`). */
function sequenceText(inner: readonly Token[]): string | undefined {
  const only = inner[0];
  if (inner.length !== 1 || only?.kind !== 'piece' || only.piece.kind !== 'literal') return undefined;
  const text = only.piece.bytes;
  return NUMBER_SEQUENCE.test(text) || CHAR_SEQUENCE.test(text) ? text : undefined;
}

/** The words of a sequence body, or `undefined` when its numbers are out of range. */
function sequence(text: string, budget: WordBudget): string[] | undefined {
  const numbers = NUMBER_SEQUENCE.exec(text);
  if (numbers !== null) {
    const [, start = '', end = '', increment] = numbers;
    const from = Number.parseInt(start, 10);
    const to = Number.parseInt(end, 10);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return undefined;
    const zeroPadded = /^[+-]?0\d/.test(start) || /^[+-]?0\d/.test(end);
    const width = zeroPadded ? Math.max(start.length, end.length) : 0;
    return stepsOf(from, to, increment, budget).map((value) => padded(value, width));
  }
  const [, start = '', end = '', increment] = CHAR_SEQUENCE.exec(text) ?? [];
  return stepsOf(start.charCodeAt(0), end.charCodeAt(0), increment, budget).map((code) =>
    String.fromCharCode(code),
  );
}

/**
 * Where the `{` at `open` closes, and its top-level commas; `undefined` when it never
 * does. As in bash, a `}` only closes once a comma has been seen or the body is a
 * sequence: in `{a}x,y}` the first `}` is plain text.
 */
function braceExtent(
  tokens: readonly Token[],
  open: number,
): { close: number; commas: number[] } | undefined {
  let depth = 0;
  const commas: number[] = [];
  for (let index = open + 1; index < tokens.length; index++) {
    const kind = tokens[index]?.kind;
    if (kind === 'open') depth++;
    else if (kind === 'comma' && depth === 0) commas.push(index);
    else if (kind === 'close') {
      if (depth > 0) depth--;
      else if (commas.length > 0 || sequenceText(tokens.slice(open + 1, index)) !== undefined) {
        return { close: index, commas };
      }
    }
  }
  return undefined;
}

function expandTokens(tokens: readonly Token[], budget: WordBudget): Token[][] {
  for (let open = 0; open < tokens.length; open++) {
    if (tokens[open]?.kind !== 'open') continue;
    const extent = braceExtent(tokens, open);
    if (extent === undefined) continue;
    const { close, commas } = extent;
    let alternatives: Token[][];
    if (commas.length > 0) {
      const bounds = [open, ...commas, close];
      alternatives = bounds.slice(1).map((end, index) => tokens.slice((bounds[index] ?? open) + 1, end));
    } else {
      const words = sequence(sequenceText(tokens.slice(open + 1, close)) ?? '', budget);
      if (words === undefined) continue;
      alternatives = words.map((bytes) => [{ kind: 'piece', piece: { bytes, kind: 'quoted' } }]);
    }
    spendWords(budget, alternatives.length);
    const prefix = tokens.slice(0, open);
    const suffix = tokens.slice(close + 1);
    return alternatives.flatMap((alternative) =>
      expandTokens([...prefix, ...alternative, ...suffix], budget),
    );
  }
  return [tokens.slice()];
}

/**
 * Bash treats quoted or escaped text inside braces that also hold `..` in ways that
 * follow no documented rule (`{"a,b"}\{1..2}` loses its braces), so such words are refused.
 */
function isAmbiguous(tokens: readonly Token[]): boolean {
  const open = tokens.findIndex((token) => token.kind === 'open');
  const close = tokens.findLastIndex((token) => token.kind === 'close');
  if (open < 0 || close < open) return false;
  const inner = tokens.slice(open + 1, close);
  const has = (test: (piece: WordPiece) => boolean) =>
    inner.some((token) => token.kind === 'piece' && test(token.piece));
  return (
    has((piece) => piece.kind === 'quoted') &&
    has((piece) => piece.kind === 'literal' && piece.bytes.includes('..'))
  );
}

/**
 * Expand the braces of one word into the words bash would produce.
 *
 * @example expandBraces([{ bytes: 'a{b,c}', kind: 'literal' }], budget) // pieces of 'ab' and 'ac'
 */
export function expandBraces(pieces: readonly WordPiece[], budget: WordBudget): WordPiece[][] {
  if (!pieces.some((piece) => piece.kind === 'literal' && piece.bytes.includes('{'))) return [pieces.slice()];
  const tokens = tokenize(pieces);
  if (isAmbiguous(tokens))
    throw new DecompositionError('unsupported brace expansion: quoted text inside braces with `..`');
  return expandTokens(tokens, budget).map(untokenize);
}
