import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Scalar } from 'yaml';
import { parseDuration } from './policy-duration.js';
import type { DurationMs, PolicyDiagnostic, SourcePosition } from './policy-types.js';

/** A parsed YAML node as the walker sees it (aliases already resolved). */
export type YamlValue = unknown;

/** One `key: value` entry of a mapping. */
export interface YamlField {
  readonly name: string;
  readonly key: Scalar;
  readonly value: YamlValue;
}

/** A string or list item read from the file, with the node it came from (for positions). */
export interface YamlString {
  readonly value: string;
  readonly node: YamlValue;
}

// Each alias expansion walks the anchored node again; a cap keeps "billion laughs" files linear.
const MAX_ALIAS_EXPANSIONS = 100;

/** `in rules[0]`, or `at the top level` for the root. */
export function where(path: string): string {
  return path === '' ? 'at the top level' : `in ${path}`;
}

/** `rules[0].match`, or `match` at the root. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** What a node is, for "got …" in messages. */
export function describe(node: YamlValue): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const { value } = node;
    if (value === null || value === undefined) return 'empty';
    if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
    if (typeof value === 'boolean') return `${value}`;
    if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`;
  }
  return 'an unsupported value';
}

/**
 * Walks a parsed YAML document, reading typed values and collecting diagnostics with
 * 1-based line and column. Every reader reports what it finds wrong and returns
 * `undefined`, so callers keep walking and the file's problems are reported together.
 */
export class PolicyYamlWalker {
  readonly diagnostics: PolicyDiagnostic[] = [];
  private aliasExpansions = 0;

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** The position of a source offset. */
  positionAt(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** The position where a node starts (1:1 when the node has no range). */
  position(node: YamlValue): SourcePosition {
    const range = (node as { range?: readonly number[] } | null)?.range;
    return this.positionAt(range?.[0] ?? 0);
  }

  /** Record a problem at a node. */
  report(node: YamlValue, code: string, message: string): void {
    this.reportAt(this.position(node), code, message);
  }

  /** Record a problem at a position. */
  reportAt(position: SourcePosition, code: string, message: string): void {
    this.diagnostics.push({ position, code, message });
  }

  /** Follow an alias to the node it names; other nodes are returned as they are. */
  resolve(node: YamlValue): YamlValue {
    if (!isAlias(node)) return node;
    this.aliasExpansions++;
    if (this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
      if (this.aliasExpansions === MAX_ALIAS_EXPANSIONS + 1) {
        this.report(
          node,
          'invalid-value',
          `more than ${MAX_ALIAS_EXPANSIONS} alias expansions; expected a policy with fewer aliases`,
        );
      }
      return undefined;
    }
    return node.resolve(this.doc) ?? undefined;
  }

  /**
   * The entries of a mapping, keyed by name. Keys not in `allowed` are reported as unknown
   * (pass `undefined` to accept any key, e.g. group names).
   */
  fields(
    node: YamlValue,
    path: string,
    allowed: readonly string[] | undefined,
  ): ReadonlyMap<string, YamlField> | undefined {
    const map = this.resolve(node);
    if (!isMap(map)) {
      this.report(
        map ?? node,
        'wrong-type',
        `${path || 'the policy'} is ${describe(map)}; expected a mapping`,
      );
      return undefined;
    }
    const fields = new Map<string, YamlField>();
    for (const pair of map.items) {
      const key = this.resolve(pair.key);
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number')) {
        this.report(key ?? map, 'wrong-type', `a key ${where(path)} is ${describe(key)}; expected a name`);
        continue;
      }
      const name = String(key.value);
      // A repeated key is already a yaml-syntax error; the first one stands.
      if (fields.has(name)) continue;
      if (allowed !== undefined && !allowed.includes(name)) {
        this.report(
          key,
          'unknown-key',
          `unknown key "${name}" ${where(path)}; expected one of: ${allowed.join(', ')}`,
        );
        continue;
      }
      fields.set(name, { name, key, value: this.resolve(pair.value) });
    }
    return fields;
  }

  /** The items of a list. */
  list(node: YamlValue, path: string): readonly YamlValue[] | undefined {
    if (!isSeq(node)) {
      this.report(node, 'wrong-type', `${path} is ${describe(node)}; expected a list`);
      return undefined;
    }
    return node.items.map((item) => this.resolve(item));
  }

  /** A string; `nonEmpty` also refuses `""`. */
  string(node: YamlValue, path: string, nonEmpty = true): string | undefined {
    if (!isScalar(node) || typeof node.value !== 'string') {
      this.report(node, 'wrong-type', `${path} is ${describe(node)}; expected a string`);
      return undefined;
    }
    if (nonEmpty && node.value.trim() === '') {
      this.report(node, 'invalid-value', `${path} is an empty string; expected a non-empty string`);
      return undefined;
    }
    return node.value;
  }

  /** `true` or `false`. */
  boolean(node: YamlValue, path: string): boolean | undefined {
    if (!isScalar(node) || typeof node.value !== 'boolean') {
      this.report(node, 'wrong-type', `${path} is ${describe(node)}; expected true or false`);
      return undefined;
    }
    return node.value;
  }

  /** A whole number of at least 1. */
  positiveInteger(node: YamlValue, path: string): number | undefined {
    if (!isScalar(node) || typeof node.value !== 'number') {
      this.report(node, 'wrong-type', `${path} is ${describe(node)}; expected a whole number of at least 1`);
      return undefined;
    }
    if (!Number.isSafeInteger(node.value) || node.value < 1) {
      this.report(node, 'invalid-value', `${path} is ${node.value}; expected a whole number of at least 1`);
      return undefined;
    }
    return node.value;
  }

  /** A duration such as `30s`, `4h` or `1h30m`, positive and at most `max` milliseconds. */
  duration(node: YamlValue, path: string, max: DurationMs): DurationMs | undefined {
    if (isMap(node) || isSeq(node)) {
      this.report(
        node,
        'wrong-type',
        `${path} is ${describe(node)}; expected a duration such as 30s, 10m, 4h or 7d`,
      );
      return undefined;
    }
    // A bare number has no unit; report it as a malformed duration rather than a type error.
    const text = isScalar(node) && node.value !== null ? String(node.value) : '';
    const parsed = parseDuration(text, max);
    if (!parsed.ok) {
      this.report(node, 'invalid-duration', `${path}: ${parsed.reason}`);
      return undefined;
    }
    return parsed.ms;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(node: YamlValue, path: string, choices: readonly T[]): T | undefined {
    const text = this.string(node, path, false);
    if (text === undefined) return undefined;
    if (!(choices as readonly string[]).includes(text)) {
      this.report(node, 'invalid-value', `${path} is "${text}"; expected one of: ${choices.join(', ')}`);
      return undefined;
    }
    return text as T;
  }

  /**
   * A string (when `single`) or a list of non-empty strings, with each string's node.
   * The list must not be empty unless `allowEmpty`. Returns `undefined` when anything in it is wrong.
   */
  strings(
    node: YamlValue,
    path: string,
    options: { readonly single: boolean; readonly allowEmpty?: boolean },
  ): readonly YamlString[] | undefined {
    if (options.single && isScalar(node) && typeof node.value === 'string') {
      const value = this.string(node, path);
      return value === undefined ? undefined : [{ value, node }];
    }
    if (!isSeq(node)) {
      const expected = options.single ? 'a string or a list of strings' : 'a list of strings';
      this.report(node, 'wrong-type', `${path} is ${describe(node)}; expected ${expected}`);
      return undefined;
    }
    const items = this.list(node, path) ?? [];
    if (items.length === 0 && options.allowEmpty !== true) {
      this.report(node, 'invalid-value', `${path} is an empty list; expected at least one string`);
      return undefined;
    }
    const strings: YamlString[] = [];
    let ok = true;
    for (const [index, item] of items.entries()) {
      const value = this.string(item, child(path, index));
      if (value === undefined) ok = false;
      else strings.push({ value, node: item });
    }
    return ok ? strings : undefined;
  }
}
