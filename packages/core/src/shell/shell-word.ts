import { DecompositionError } from './decomposition-error.js';
import { textOfBytes } from './shell-syntax-tree.js';

/**
 * One piece of a shell word, before brace expansion. `bytes` holds one character per
 * UTF-8 byte (as the parser hands text out), so `$'\xc3'$'\xa9'` still joins to `é`.
 * - `literal`: unquoted text, where braces and glob characters are live;
 * - `quoted`: text taken as written (quotes and backslashes already removed);
 * - `dynamic`: known only at run time (`$x`, `$(…)`, `$((…))`, `<(…)`), shown as such;
 * - `pattern`: an extended glob such as `@(a|b)`.
 */
export interface WordPiece {
  readonly bytes: string;
  readonly kind: 'literal' | 'quoted' | 'dynamic' | 'pattern';
}

/** A finished shell word: its text after quote removal, and what is not known until run time. */
export interface ShellWord {
  readonly text: string;
  /** A part of it is expanded at run time (`$x`, `$(…)`): the text shows the expansion, not its value. */
  readonly dynamic: boolean;
  /** It holds an unquoted glob, so the shell may replace it by file names. */
  readonly glob: boolean;
}

/** A word that is exactly `text`. */
export function literalWord(text: string): ShellWord {
  return { text, dynamic: false, glob: false };
}

function hasGlob(pieces: readonly WordPiece[]): boolean {
  let openBracket = false;
  for (const piece of pieces) {
    if (piece.kind === 'pattern') return true;
    if (piece.kind !== 'literal') continue;
    if (/[*?]/.test(piece.bytes)) return true;
    if (openBracket && piece.bytes.includes(']')) return true;
    const open = piece.bytes.indexOf('[');
    if (open >= 0) {
      if (piece.bytes.includes(']', open + 1)) return true;
      openBracket = true;
    }
  }
  return false;
}

/** Join pieces into a word. */
export function wordOf(pieces: readonly WordPiece[]): ShellWord {
  let bytes = '';
  for (const piece of pieces) bytes += piece.bytes;
  // Only `$'\0'` can put a NUL here; the shell would cut the word short there.
  if (bytes.includes('\0')) throw new DecompositionError('a word contains a NUL byte');
  return {
    text: textOfBytes(bytes),
    dynamic: pieces.some((piece) => piece.kind === 'dynamic'),
    glob: hasGlob(pieces),
  };
}
