import type { WordBudget } from './decomposition-error.js';
import {
  type CallExprNode,
  childrenOf,
  type DeclClauseNode,
  type FileNode,
  itemsOf,
  kindOf,
  type StmtNode,
  type SyntaxNode,
  type TimeClauseNode,
} from './shell-syntax-tree.js';
import type { ShellWord } from './shell-word.js';
import { literalWord } from './shell-word.js';
import { readAssignment, readStdinText, readWords } from './shell-word-reader.js';

/** A simple command as written, before wrappers such as `sudo` are looked at. */
export interface CollectedCommand {
  /** Wrappers the syntax itself puts around it: the `time` keyword. */
  readonly wrappers: readonly string[];
  /** Leading `NAME=value` assignments. */
  readonly assignments: readonly ShellWord[];
  /** Command name and arguments, after quote removal and brace expansion. */
  readonly words: readonly ShellWord[];
  /** What a here-document or here-string on the same statement feeds to its stdin. */
  readonly stdin?: ShellWord;
}

interface Visit {
  readonly node: SyntaxNode;
  readonly wrappers: readonly string[];
  readonly stdin?: ShellWord;
}

/**
 * Every simple command in a parsed script, in source order: through pipelines, lists,
 * subshells, blocks, conditions and loop bodies, function bodies, and the commands
 * inside `$(…)`, backticks and `<(…)` wherever those appear (arguments, assignments,
 * redirections, here-documents, `[[ ]]`, arithmetic). The tree is walked field by field,
 * so no place that can hold a command is skipped. A statement of bare assignments
 * (`X=1`) runs no program and yields nothing itself; its substitutions still do.
 */
export function collectCommands(
  file: FileNode,
  wrappers: readonly string[],
  budget: WordBudget,
): CollectedCommand[] {
  const commands: CollectedCommand[] = [];
  // An explicit stack, not recursion: deeply nested input must not exhaust the JS stack.
  const stack: Visit[] = itemsOf(file.Stmts)
    .reverse()
    .map((node) => ({ node, wrappers }));
  const pushChildren = (node: SyntaxNode, visit: Visit) => {
    const children = childrenOf(node);
    for (let index = children.length - 1; index >= 0; index--) {
      stack.push({ node: children[index] as SyntaxNode, wrappers: visit.wrappers });
    }
  };
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { node } = visit;
    switch (kindOf(node)) {
      case 'Stmt': {
        const stmt = node as StmtNode;
        const stdin = kindOf(stmt.Cmd) === 'CallExpr' ? readStdinText(stmt) : undefined;
        for (const redirect of itemsOf(stmt.Redirs).reverse())
          stack.push({ node: redirect, wrappers: visit.wrappers });
        if (kindOf(stmt.Cmd) !== undefined) {
          stack.push({ node: stmt.Cmd, wrappers: visit.wrappers, ...(stdin === undefined ? {} : { stdin }) });
        }
        break;
      }
      case 'CallExpr': {
        const call = node as CallExprNode;
        const words = readWords(call.Args, budget);
        if (words.length > 0) {
          commands.push({
            wrappers: visit.wrappers,
            assignments: itemsOf(call.Assigns).map(readAssignment),
            words,
            ...(visit.stdin === undefined ? {} : { stdin: visit.stdin }),
          });
        }
        pushChildren(node, visit);
        break;
      }
      case 'DeclClause': {
        const decl = node as DeclClauseNode;
        const words = [literalWord(decl.Variant.Value), ...itemsOf(decl.Args).map(readAssignment)];
        commands.push({ wrappers: visit.wrappers, assignments: [], words });
        pushChildren(node, visit);
        break;
      }
      case 'TimeClause': {
        const { Stmt } = node as TimeClauseNode;
        if (kindOf(Stmt) !== undefined) stack.push({ node: Stmt, wrappers: [...visit.wrappers, 'time'] });
        break;
      }
      default:
        pushChildren(node, visit);
    }
  }
  return commands;
}
