import type { WordBudget } from './decomposition-error.js';
import {
  type BinaryCmdNode,
  type CallExprNode,
  childrenOf,
  type DeclClauseNode,
  type FileNode,
  itemsOf,
  kindOf,
  operators,
  type StmtNode,
  type SyntaxNode,
  type TimeClauseNode,
} from './shell-syntax-tree.js';
import type { ShellWord } from './shell-word.js';
import { literalWord } from './shell-word.js';
import { readAssignment, readStdinRedirect, readWords, readWrites } from './shell-word-reader.js';
import type { StdinSource } from './stdin-source.js';

/** A simple command as written, before wrappers such as `sudo` are looked at. */
export interface CollectedCommand {
  /** Wrappers the syntax itself puts around it: the `time` keyword. */
  readonly wrappers: readonly string[];
  /** Leading `NAME=value` assignments. */
  readonly assignments: readonly ShellWord[];
  /** Command name and arguments, after quote removal and brace expansion; empty for bare assignments. */
  readonly words: readonly ShellWord[];
  /** Where its standard input comes from, when the line says (see `StdinSource`). */
  readonly stdin?: StdinSource;
  /** Files its redirections (and those of the compound commands around it) write. */
  readonly writes: readonly string[];
}

interface Visit {
  readonly node: SyntaxNode;
  readonly wrappers: readonly string[];
  readonly stdin?: StdinSource;
  readonly writes: readonly string[];
}

/**
 * What a pipeline stage writes to the next one, when the line says it exactly: `echo`
 * with plain words (no options but `-n`, no backslashes, which dash's `echo` would
 * interpret) or `printf` with a format free of `%` and backslashes.
 */
function literalOutput(stmt: StmtNode, budget: WordBudget): ShellWord | undefined {
  if (kindOf(stmt.Cmd) !== 'CallExpr' || stmt.Redirs.$length > 0) return undefined;
  const call = stmt.Cmd as CallExprNode;
  if (call.Assigns.$length > 0) return undefined;
  const words = readWords(call.Args, { remaining: Math.min(budget.remaining, 256) });
  if (words.some((word) => word.dynamic || word.glob || word.text.includes('\\'))) return undefined;
  const [name, ...args] = words.map((word) => word.text);
  if (name === 'echo') {
    const newline = args[0] !== '-n';
    const rest = newline ? args : args.slice(1);
    if (rest[0]?.startsWith('-')) return undefined;
    return literalWord(`${rest.join(' ')}${newline ? '\n' : ''}`);
  }
  if (name === 'printf' && args.length === 1 && !args[0]?.includes('%') && !args[0]?.startsWith('-')) {
    return literalWord(args[0] ?? '');
  }
  return undefined;
}

/**
 * Every simple command in a parsed script, in source order: through pipelines, lists,
 * subshells, blocks, conditions and loop bodies, function bodies, and the commands
 * inside `$(…)`, backticks and `<(…)` wherever those appear (arguments, assignments,
 * redirections, here-documents, `[[ ]]`, arithmetic). The tree is walked field by field,
 * so no place that can hold a command is skipped. Each command carries where its stdin
 * comes from (its own redirection, the pipe before it, or the compound command around
 * it) and the files written by redirections. A statement of bare assignments (`X=1`)
 * is kept with no words: some variables hold commands that programs run later.
 */
export function collectCommands(
  file: FileNode,
  wrappers: readonly string[],
  budget: WordBudget,
): CollectedCommand[] {
  const commands: CollectedCommand[] = [];
  const { pipes } = operators();
  // An explicit stack, not recursion: deeply nested input must not exhaust the JS stack.
  const stack: Visit[] = itemsOf(file.Stmts)
    .reverse()
    .map((node) => ({ node, wrappers, writes: [] }));
  const pushChildren = (node: SyntaxNode, visit: Visit) => {
    const children = childrenOf(node);
    for (let index = children.length - 1; index >= 0; index--) {
      stack.push({ ...visit, node: children[index] as SyntaxNode });
    }
  };
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { node } = visit;
    switch (kindOf(node)) {
      case 'Stmt': {
        const stmt = node as StmtNode;
        const stdin = readStdinRedirect(stmt) ?? visit.stdin;
        const written = readWrites(stmt);
        const writes = written.length === 0 ? visit.writes : [...visit.writes, ...written];
        // Commands in a redirection's word (`> $(cmd)`) write to the substitution, not the file.
        for (const redirect of itemsOf(stmt.Redirs).reverse())
          stack.push({ ...visit, node: redirect, writes: [] });
        if (kindOf(stmt.Cmd) !== undefined) {
          const inner: Visit = { node: stmt.Cmd, wrappers: visit.wrappers, writes };
          stack.push(stdin === undefined ? inner : { ...inner, stdin });
        }
        break;
      }
      case 'BinaryCmd': {
        const binary = node as BinaryCmdNode;
        if (pipes.has(binary.Op)) {
          const text = literalOutput(binary.X, budget);
          const piped: StdinSource = text === undefined ? { kind: 'pipe' } : { kind: 'pipe', text };
          stack.push({ ...visit, node: binary.Y, stdin: piped });
          stack.push({ ...visit, node: binary.X });
        } else {
          pushChildren(node, visit);
        }
        break;
      }
      case 'CallExpr': {
        const call = node as CallExprNode;
        const words = readWords(call.Args, budget);
        const assignments = itemsOf(call.Assigns).map(readAssignment);
        if (words.length > 0 || assignments.length > 0) {
          commands.push({
            wrappers: visit.wrappers,
            assignments,
            words,
            writes: visit.writes,
            ...(visit.stdin === undefined ? {} : { stdin: visit.stdin }),
          });
        }
        // Commands in its words (`echo $(ls) > out`) write to the substitution, not the file.
        pushChildren(node, { ...visit, writes: [] });
        break;
      }
      case 'DeclClause': {
        const decl = node as DeclClauseNode;
        const args = itemsOf(decl.Args).map(readAssignment);
        const words = [literalWord(decl.Variant.Value), ...args];
        commands.push({ wrappers: visit.wrappers, assignments: [], words, writes: visit.writes });
        pushChildren(node, visit);
        break;
      }
      case 'TimeClause': {
        const { Stmt } = node as TimeClauseNode;
        if (kindOf(Stmt) !== undefined)
          stack.push({ ...visit, node: Stmt, wrappers: [...visit.wrappers, 'time'] });
        break;
      }
      default:
        pushChildren(node, visit);
    }
  }
  return commands;
}
