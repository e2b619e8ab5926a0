import { decodeAnsiC } from './ansi-c-decoder.js';
import { expandBraces } from './brace-expander.js';
import { DecompositionError, type WordBudget } from './decomposition-error.js';
import {
  type AssignNode,
  type DblQuotedNode,
  type ExtGlobNode,
  type GoSlice,
  itemsOf,
  kindOf,
  type LitNode,
  type OperatorNode,
  operators,
  type ParamExpNode,
  type RedirectNode,
  type SglQuotedNode,
  type StmtNode,
  type SyntaxNode,
  type WordNode,
} from './shell-syntax-tree.js';
import type { ShellWord, WordPiece } from './shell-word.js';
import { wordOf } from './shell-word.js';
import type { StdinSource } from './stdin-source.js';

/**
 * Reading words out of the syntax tree the way bash sees them after quote removal.
 * What only run time can tell (`$x`, `$(…)`) is kept as a marked placeholder.
 */

/** Characters a backslash escapes inside double quotes; inside a here-document `"` is not one. */
const DOUBLE_QUOTE_ESCAPES = '$`"\\\n';
const HEREDOC_ESCAPES = '$`\\\n';

/** Unquoted text: a backslash quotes the next character. */
function unquotedPieces(bytes: string): WordPiece[] {
  const pieces: WordPiece[] = [];
  let run = '';
  for (let index = 0; index < bytes.length; index++) {
    const char = bytes.charAt(index);
    if (char !== '\\' || index + 1 >= bytes.length) {
      run += char;
      continue;
    }
    if (run !== '') pieces.push({ bytes: run, kind: 'literal' });
    run = '';
    index++;
    const escaped = bytes.charAt(index);
    if (escaped !== '\n') pieces.push({ bytes: escaped, kind: 'quoted' });
  }
  if (run !== '') pieces.push({ bytes: run, kind: 'literal' });
  return pieces;
}

/** Quoted text where a backslash only escapes the characters in `escapable`. */
function unescapeQuoted(bytes: string, escapable: string): string {
  if (!bytes.includes('\\')) return bytes;
  let out = '';
  for (let index = 0; index < bytes.length; index++) {
    const char = bytes.charAt(index);
    const next = bytes.charAt(index + 1);
    if (char === '\\' && next !== '' && escapable.includes(next)) {
      if (next !== '\n') out += next;
      index++;
    } else {
      out += char;
    }
  }
  return out;
}

function paramText(node: ParamExpNode): string {
  const name = kindOf(node.Param) === 'Lit' ? node.Param.Value : '';
  if (node.Short) return `$${name}`;
  return `\${${node.Excl ? '!' : ''}${node.Length ? '#' : ''}${name}}`;
}

/** A part whose value only exists at run time, or `undefined` when `part` is not one. */
function dynamicPiece(part: SyntaxNode): WordPiece | undefined {
  switch (kindOf(part)) {
    case 'ParamExp':
      return { bytes: paramText(part as ParamExpNode), kind: 'dynamic' };
    case 'CmdSubst':
      return { bytes: '$(...)', kind: 'dynamic' };
    case 'ArithmExp':
      return { bytes: '$((...))', kind: 'dynamic' };
    case 'ProcSubst':
      return {
        bytes: `${operators().procSubst.get((part as OperatorNode).Op) ?? '<('}...)`,
        kind: 'dynamic',
      };
    default:
      return undefined;
  }
}

function unsupported(part: SyntaxNode): never {
  throw new DecompositionError(`unsupported shell syntax in a word: ${kindOf(part) ?? 'unknown'}`);
}

function doubleQuotedPieces(parts: GoSlice<SyntaxNode>, escapable: string): WordPiece[] {
  // `""` is an empty word that stays; without a piece it would be dropped like `{,}`.
  if (parts.$length === 0) return [{ bytes: '', kind: 'quoted' }];
  return itemsOf(parts).map((part) => {
    if (kindOf(part) === 'Lit')
      return { bytes: unescapeQuoted((part as LitNode).Value, escapable), kind: 'quoted' };
    return dynamicPiece(part) ?? unsupported(part);
  });
}

/** The pieces of a word, before brace expansion. */
export function piecesOf(word: WordNode): WordPiece[] {
  const pieces: WordPiece[] = [];
  for (const part of itemsOf(word.Parts)) {
    switch (kindOf(part)) {
      case 'Lit':
        pieces.push(...unquotedPieces((part as LitNode).Value));
        break;
      case 'SglQuoted': {
        const quoted = part as SglQuotedNode;
        pieces.push({ bytes: quoted.Dollar ? decodeAnsiC(quoted.Value) : quoted.Value, kind: 'quoted' });
        break;
      }
      case 'DblQuoted':
        pieces.push(...doubleQuotedPieces((part as DblQuotedNode).Parts, DOUBLE_QUOTE_ESCAPES));
        break;
      case 'ExtGlob': {
        const glob = part as ExtGlobNode;
        const op = operators().extGlob.get(glob.Op) ?? '@(';
        pieces.push({ bytes: `${op}${glob.Pattern.Value})`, kind: 'pattern' });
        break;
      }
      default:
        pieces.push(dynamicPiece(part) ?? unsupported(part));
    }
  }
  return pieces;
}

/** One word, without brace expansion (for places bash does not expand braces). */
export function readWord(word: WordNode): ShellWord {
  return wordOf(piecesOf(word));
}

/** Brace expansion can leave an unquoted empty word (`{,}`), which bash drops. */
function isNullWord(pieces: readonly WordPiece[]): boolean {
  return pieces.every((piece) => piece.kind === 'literal' && piece.bytes === '');
}

/** The words of a command line: quote removal and brace expansion, as bash does them. */
export function readWords(words: GoSlice<WordNode>, budget: WordBudget): ShellWord[] {
  return itemsOf(words).flatMap((word) =>
    expandBraces(piecesOf(word), budget)
      .filter((pieces) => !isNullWord(pieces))
      .map(wordOf),
  );
}

/** `NAME=value` (or a bare name or flag, as `export`/`local` take them) as one word. */
export function readAssignment(assign: AssignNode): ShellWord {
  const hasName = kindOf(assign.Name) === 'Lit';
  const hasValue = kindOf(assign.Value) === 'Word';
  if (assign.Naked)
    return hasValue
      ? readWord(assign.Value)
      : wordOf([{ bytes: hasName ? assign.Name.Value : '', kind: 'quoted' }]);
  const index = kindOf(assign.Index) === undefined ? '' : '[...]';
  const pieces: WordPiece[] = [
    { bytes: `${hasName ? assign.Name.Value : ''}${index}${assign.Append ? '+=' : '='}`, kind: 'quoted' },
  ];
  if (kindOf(assign.Array) === 'ArrayExpr') {
    const values = itemsOf(assign.Array.Elems).filter((elem) => kindOf(elem.Value) === 'Word');
    pieces.push({ bytes: '(', kind: 'quoted' });
    values.forEach((elem, position) => {
      if (position > 0) pieces.push({ bytes: ' ', kind: 'quoted' });
      pieces.push(
        ...piecesOf(elem.Value).map(
          (piece): WordPiece => ({ ...piece, kind: piece.kind === 'dynamic' ? 'dynamic' : 'quoted' }),
        ),
      );
    });
    pieces.push({ bytes: ')', kind: 'quoted' });
  } else if (hasValue) {
    pieces.push(...piecesOf(assign.Value));
  }
  return wordOf(pieces);
}

function isQuotedDelimiter(word: WordNode): boolean {
  return itemsOf(word.Parts).some((part) => kindOf(part) !== 'Lit' || (part as LitNode).Value.includes('\\'));
}

function heredocBody(redirect: RedirectNode, stripTabs: boolean): ShellWord {
  if (kindOf(redirect.Hdoc) !== 'Word') return wordOf([]);
  const parts = redirect.Hdoc.Parts;
  const strip = (bytes: string, first: boolean) =>
    stripTabs ? bytes.replace(first ? /(^|\n)\t+/g : /(\n)\t+/g, '$1') : bytes;
  const quoted = isQuotedDelimiter(redirect.Word);
  const pieces = itemsOf(parts).map((part, position): WordPiece => {
    if (kindOf(part) !== 'Lit') return dynamicPiece(part) ?? unsupported(part);
    const bytes = strip((part as LitNode).Value, position === 0);
    return { bytes: quoted ? bytes : unescapeQuoted(bytes, HEREDOC_ESCAPES), kind: 'quoted' };
  });
  return wordOf(pieces);
}

/**
 * What a statement's own redirections put on standard input: a here-document or
 * here-string (its text), or a file or descriptor (`< f`, `<&3`, `<> f`); `undefined`
 * when they leave stdin alone (then a pipe or the enclosing command decides).
 */
export function readStdinRedirect(stmt: StmtNode): StdinSource | undefined {
  const ops = operators().stdin;
  let stdin: StdinSource | undefined;
  for (const redirect of itemsOf(stmt.Redirs)) {
    const fd = kindOf(redirect.N) === 'Lit' ? redirect.N.Value : '0';
    if (fd !== '0') continue;
    if (ops.fromFile.has(redirect.Op)) {
      const path = readWord(redirect.Word);
      // `<&0` keeps stdin as it is; `<&-` closes it.
      if (path.text !== '0' && path.text !== '-') stdin = { kind: 'file', path };
    } else if (redirect.Op === ops.heredoc || redirect.Op === ops.dashHeredoc) {
      stdin = { kind: 'text', text: heredocBody(redirect, redirect.Op === ops.dashHeredoc) };
    } else if (redirect.Op === ops.hereString) {
      const word = readWord(redirect.Word);
      stdin = { kind: 'text', text: { ...word, text: `${word.text}\n` } };
    }
  }
  return stdin;
}

/** The files a statement's redirections write, as written (`2>&1` and `>&2` name descriptors, not files). */
export function readWrites(stmt: StmtNode): string[] {
  const { writes, dupFd } = operators();
  const targets: string[] = [];
  for (const redirect of itemsOf(stmt.Redirs)) {
    if (!writes.has(redirect.Op)) continue;
    const target = readWord(redirect.Word);
    if (dupFd.has(redirect.Op) && /^(\d+|-)$/.test(target.text) && !target.dynamic) continue;
    targets.push(target.text);
  }
  return targets;
}
