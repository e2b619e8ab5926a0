/**
 * Types for the parts of `mvdan-sh` (mvdan/sh compiled to JavaScript with GopherJS;
 * CommonJS, no types of its own) that Gatehouse uses. Only the public entry points are
 * typed here; `shell-syntax-tree.ts` types the Go AST behind `__internal_object__`.
 */
declare module 'mvdan-sh' {
  /** A node as the public API hands it out: a lazily built wrapper around the Go value. */
  export interface WrappedNode {
    /** The GopherJS value itself (fields as Go declares them, slices as `$array`/`$offset`/`$length`). */
    readonly __internal_object__: unknown;
  }

  /** A source position as the public API hands it out. */
  export interface WrappedPos {
    Line(): number;
    Col(): number;
  }

  /** What `Parser.Parse` throws for malformed input (`syntax.ParseError`). */
  export interface WrappedParseError {
    readonly Filename: string;
    readonly Pos: WrappedPos;
    readonly Text: string;
    readonly Incomplete: boolean;
    Error(): string;
  }

  /** A reusable parser; `Parse` is synchronous and throws a `WrappedParseError`. */
  export interface Parser {
    Parse(source: string, name: string): WrappedNode;
  }

  /** The `syntax` package. */
  export interface Syntax {
    NewParser(...options: unknown[]): Parser;
    NodeType(node: unknown): string;
  }

  const sh: { readonly syntax: Syntax };
  export default sh;
}
