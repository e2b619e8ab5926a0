import sh, { type WrappedParseError } from 'mvdan-sh';

/**
 * A typed view of the Go syntax tree that `mvdan-sh` builds (mvdan/sh's `syntax`
 * package compiled by GopherJS).
 *
 * Why not the public wrappers and `syntax.Walk`: every field read through them builds
 * a fresh JavaScript proxy, which costs about a millisecond per command line; reading
 * the GopherJS values behind `__internal_object__` costs microseconds. The layout we
 * rely on (struct fields by their Go names, slices as `$array`/`$offset`/`$length`,
 * the type name in `constructor.string`, strings as UTF-8 bytes) is checked by probes
 * on first use and on every parse; if it ever changes, parses fail and commands are denied.
 */

/** A Go slice as GopherJS lays it out. */
export interface GoSlice<T> {
  readonly $array: ArrayLike<T>;
  readonly $offset: number;
  readonly $length: number;
}

/** Any syntax node: a Go struct whose type name is in `constructor.string`. */
export interface SyntaxNode {
  readonly constructor: { readonly string?: unknown; readonly nil?: unknown };
}

/** `syntax.File`: the root. */
export interface FileNode extends SyntaxNode {
  readonly Stmts: GoSlice<StmtNode>;
}

/** `syntax.Stmt`: one command with its redirections. */
export interface StmtNode extends SyntaxNode {
  readonly Cmd: SyntaxNode;
  readonly Redirs: GoSlice<RedirectNode>;
}

/** `syntax.CallExpr`: a simple command. */
export interface CallExprNode extends SyntaxNode {
  readonly Assigns: GoSlice<AssignNode>;
  readonly Args: GoSlice<WordNode>;
}

/** `syntax.Assign`: `NAME=value`, `NAME+=value`, `NAME[i]=value`, `NAME=(…)`, or a bare name/flag. */
export interface AssignNode extends SyntaxNode {
  readonly Append: boolean;
  readonly Naked: boolean;
  readonly Name: LitNode;
  readonly Index: SyntaxNode;
  readonly Value: WordNode;
  readonly Array: ArrayExprNode;
}

/** `syntax.ArrayExpr`: `(a b c)`. */
export interface ArrayExprNode extends SyntaxNode {
  readonly Elems: GoSlice<{ readonly Value: WordNode }>;
}

/** `syntax.Word`: a shell word made of parts. */
export interface WordNode extends SyntaxNode {
  readonly Parts: GoSlice<SyntaxNode>;
}

/** `syntax.Lit`: literal text, backslash escapes still in it. */
export interface LitNode extends SyntaxNode {
  readonly Value: string;
}

/** `syntax.SglQuoted`: `'…'`, or `$'…'` when `Dollar`. */
export interface SglQuotedNode extends SyntaxNode {
  readonly Dollar: boolean;
  readonly Value: string;
}

/** `syntax.DblQuoted`: `"…"`. */
export interface DblQuotedNode extends SyntaxNode {
  readonly Parts: GoSlice<SyntaxNode>;
}

/** `syntax.ParamExp`: `$x`, `${x…}`. */
export interface ParamExpNode extends SyntaxNode {
  readonly Short: boolean;
  readonly Excl: boolean;
  readonly Length: boolean;
  readonly Param: LitNode;
}

/** `syntax.ProcSubst` (`<(…)`, `>(…)`) and `syntax.ExtGlob` (`@(…)`): only the operator is read. */
export interface OperatorNode extends SyntaxNode {
  readonly Op: number;
}

/** `syntax.ExtGlob`: `@(a|b)` and friends. */
export interface ExtGlobNode extends OperatorNode {
  readonly Pattern: LitNode;
}

/** `syntax.Redirect`: `N op Word`, with the body of a here-document in `Hdoc`. */
export interface RedirectNode extends OperatorNode {
  readonly N: LitNode;
  readonly Word: WordNode;
  readonly Hdoc: WordNode;
}

/** `syntax.BinaryCmd`: `X && Y`, `X || Y`, `X | Y`, `X |& Y`. */
export interface BinaryCmdNode extends OperatorNode {
  readonly X: StmtNode;
  readonly Y: StmtNode;
}

/** `syntax.DeclClause`: `export`, `local`, `declare`, `readonly`, `typeset`, `nameref`. */
export interface DeclClauseNode extends SyntaxNode {
  readonly Variant: LitNode;
  readonly Args: GoSlice<AssignNode>;
}

/** `syntax.TimeClause`: the `time` keyword in front of a pipeline. */
export interface TimeClauseNode extends SyntaxNode {
  readonly Stmt: StmtNode;
}

/** A parse failure with its 1-based position. */
export class ShellSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(text: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${text}`);
    this.name = new.target.name;
    this.line = line;
    this.column = column;
  }
}

/** The node's Go type name without package (`CallExpr`), or `undefined` for nil and non-nodes. */
export function kindOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as SyntaxNode).constructor;
  if (type === undefined || typeof type.string !== 'string' || type.nil === value) return undefined;
  const name = type.string;
  return name.startsWith('*syntax.') ? name.slice(8) : undefined;
}

/** The elements of a Go slice. */
export function itemsOf<T>(slice: GoSlice<T>): T[] {
  const items: T[] = [];
  for (let index = 0; index < slice.$length; index++) items.push(slice.$array[slice.$offset + index] as T);
  return items;
}

function isSlice(value: unknown): value is GoSlice<unknown> {
  return typeof value === 'object' && value !== null && '$array' in value && '$length' in value;
}

/** Nodes that carry no words: never worth descending into. */
const LEAF_KINDS = new Set(['Pos', 'Comment', 'Lit']);

/** Every child node of `node`, in field (that is, source) order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  const fields = node as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key === '$val') continue;
    const value = fields[key];
    if (isSlice(value)) {
      for (const item of itemsOf(value)) {
        const kind = kindOf(item);
        if (kind !== undefined && !LEAF_KINDS.has(kind)) children.push(item as SyntaxNode);
      }
    } else {
      const kind = kindOf(value);
      if (kind !== undefined && !LEAF_KINDS.has(kind)) children.push(value as SyntaxNode);
    }
  }
  return children;
}

// ignoreBOM: a leading U+FEFF is part of the word, not a byte-order mark to drop.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** GopherJS keeps Go strings as one character per UTF-8 byte; turn them back into text. */
export function textOfBytes(bytes: string): string {
  if (!/[\u0080-\u00ff]/.test(bytes)) return bytes;
  const buffer = new Uint8Array(bytes.length);
  for (let index = 0; index < bytes.length; index++) buffer[index] = bytes.charCodeAt(index) & 0xff;
  return utf8.decode(buffer);
}

function isParseError(error: unknown): error is WrappedParseError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as WrappedParseError).Text === 'string' &&
    typeof (error as WrappedParseError).Pos?.Line === 'function'
  );
}

let parser = sh.syntax.NewParser();

function parse(source: string): FileNode {
  try {
    return assertFile(parser.Parse(source, 'command').__internal_object__);
  } catch (error) {
    // A parser that threw may hold state from the failed run; never reuse it.
    parser = sh.syntax.NewParser();
    if (isParseError(error)) throw new ShellSyntaxError(error.Text, error.Pos.Line(), error.Pos.Col());
    throw error;
  }
}

/**
 * Parse a bash script into its syntax tree. Throws `ShellSyntaxError` for malformed input;
 * anything else thrown means the parser itself failed.
 */
export function parseShellSyntax(source: string): FileNode {
  // Learn the operators first: probing later, while a tree is being read, would reuse the parser.
  operators();
  return parse(source);
}

function assertFile(value: unknown): FileNode {
  if (kindOf(value) !== 'File' || !isSlice((value as FileNode).Stmts)) {
    throw new Error('mvdan-sh returned a syntax tree of an unknown shape');
  }
  return value as FileNode;
}

function probe(source: string): StmtNode {
  const stmt = itemsOf(parse(source).Stmts)[0];
  if (stmt === undefined) throw new Error(`mvdan-sh probe "${source}" did not parse`);
  return stmt;
}

function argumentOperators(source: string): number[] {
  const call = probe(source).Cmd as CallExprNode;
  return itemsOf(call.Args)
    .slice(1)
    .map((word) => (itemsOf(word.Parts)[0] as OperatorNode).Op);
}

function redirectOperator(source: string): number {
  const redirect = itemsOf(probe(source).Redirs)[0];
  if (typeof redirect?.Op !== 'number') throw new Error(`mvdan-sh probe "${source}" has no redirect`);
  return redirect.Op;
}

/** The operator token numbers this build of mvdan-sh uses. */
export interface Operators {
  /** Process substitution: operator number to `<(` or `>(`. */
  readonly procSubst: ReadonlyMap<number, string>;
  /** Extended glob: operator number to `?(`, `*(`, `+(`, `@(` or `!(`. */
  readonly extGlob: ReadonlyMap<number, string>;
  /** `|` and `|&`. */
  readonly pipes: ReadonlySet<number>;
  /** Redirections that write (or may write) the file they name: `>`, `>>`, `>|`, `&>`, `&>>`, `<>`, `>&file`. */
  readonly writes: ReadonlySet<number>;
  /** `>&` and `<&`: a file descriptor's number (or `-`) rather than a file, unless the word is a name. */
  readonly dupFd: ReadonlySet<number>;
  /** Redirections that replace standard input. */
  readonly stdin: {
    readonly fromFile: ReadonlySet<number>;
    readonly heredoc: number;
    readonly dashHeredoc: number;
    readonly hereString: number;
  };
}

function learnOperators(): Operators {
  const [procIn, procOut] = argumentOperators(': <(a) >(b)');
  const globs = ['?(', '*(', '+(', '@(', '!('];
  const globOps = argumentOperators(': ?(a) *(a) +(a) @(a) !(a)');
  if (procIn === undefined || procOut === undefined || globOps.length !== globs.length) {
    throw new Error('mvdan-sh operators could not be learned');
  }
  const binaryOperator = (source: string) => (probe(source).Cmd as BinaryCmdNode).Op;
  return {
    pipes: new Set([binaryOperator('a | b'), binaryOperator('a |& b')]),
    writes: new Set(
      [': >a', ': >>a', ': >|a', ': &>a', ': &>>a', ': <>a', ': >&a'].map((source) =>
        redirectOperator(source),
      ),
    ),
    dupFd: new Set([redirectOperator(': >&2'), redirectOperator(': <&0')]),
    procSubst: new Map([
      [procIn, '<('],
      [procOut, '>('],
    ]),
    extGlob: new Map(globOps.map((op, index) => [op, globs[index] ?? '@('])),
    stdin: {
      fromFile: new Set([redirectOperator(': <a'), redirectOperator(': <>a'), redirectOperator(': <&0')]),
      heredoc: redirectOperator(': <<A\nA\n'),
      dashHeredoc: redirectOperator(': <<-A\nA\n'),
      hereString: redirectOperator(': <<<a'),
    },
  };
}

let learned: Operators | undefined;

/**
 * Operator token numbers are private to the build, so they are learned by parsing
 * probes on first use. If that fails (an incompatible mvdan-sh), this throws, and
 * every decomposition fails closed.
 */
export function operators(): Operators {
  learned ??= learnOperators();
  return learned;
}
