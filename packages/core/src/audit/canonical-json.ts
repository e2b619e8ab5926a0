import canonicalizeModule from 'canonicalize';
import { GatehouseError } from '../errors.js';

type Serialize = (input: unknown) => string | undefined;

// Why: `canonicalize` is CommonJS whose typings say `export default`. Under NodeNext TypeScript
// types the default import as the module object, while Node (and vitest) hand us
// `module.exports` itself, which is the function. Accept both so neither side lies.
const serialize: Serialize =
  typeof canonicalizeModule === 'function' ? canonicalizeModule : canonicalizeModule.default;

/** Deepest nesting of objects and arrays `canonicalJson` accepts (the top-level container is depth 1). */
export const MAX_CANONICAL_DEPTH = 64;

/** A value JSON cannot represent faithfully, so it has no canonical form and cannot be hashed. */
export class NotCanonicalizableError extends GatehouseError {
  /** Where the offending value sits, as a JSONPath-like string: `$.params.when[2]`. */
  readonly path: string;

  constructor(path: string, reason: string) {
    super('not-canonicalizable', `${path}: ${reason}`, { data: { path, reason } });
    this.path = path;
  }
}

// A lone surrogate has no UTF-8 encoding: I-JSON (which RFC 8785 builds on) forbids it, and two
// different strings would otherwise hash the same once the hasher replaces it with U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkString(text: string, path: string, what: string): void {
  if (LONE_SURROGATE.test(text)) throw new NotCanonicalizableError(path, `${what} contains a lone surrogate`);
}

function checkValue(value: unknown, path: string, depth: number): void {
  switch (typeof value) {
    case 'string':
      checkString(value, path, 'string');
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotCanonicalizableError(path, `${value} is not a JSON number`);
      return;
    case 'undefined':
      throw new NotCanonicalizableError(path, 'undefined is not a JSON value');
    case 'bigint':
      throw new NotCanonicalizableError(path, 'a BigInt is not a JSON number');
    case 'function':
    case 'symbol':
      throw new NotCanonicalizableError(path, `a ${typeof value} is not a JSON value`);
  }
  if (value === null) return;
  const container = value as object;
  if (depth >= MAX_CANONICAL_DEPTH) {
    throw new NotCanonicalizableError(path, `nested deeper than ${MAX_CANONICAL_DEPTH} levels (or cyclic)`);
  }
  if (Array.isArray(container)) {
    if (Object.getPrototypeOf(container) !== Array.prototype) {
      throw new NotCanonicalizableError(path, 'an array subclass is not plain JSON');
    }
    // A hole or an `undefined` element would silently become `null`: not faithful.
    for (let index = 0; index < container.length; index++) {
      if (!(index in container))
        throw new NotCanonicalizableError(`${path}[${index}]`, 'a sparse array hole');
      checkValue(container[index], `${path}[${index}]`, depth + 1);
    }
    return;
  }
  if (!isPlainObject(container)) {
    const kind = container.constructor?.name ?? 'exotic object';
    throw new NotCanonicalizableError(path, `a ${kind} is not a plain JSON object`);
  }
  if (Object.getOwnPropertySymbols(container).length > 0) {
    throw new NotCanonicalizableError(path, 'symbol-keyed properties cannot be represented in JSON');
  }
  const record = container as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const entry = record[key];
    const at = childPath(path, key);
    checkString(key, at, 'key');
    if (entry !== undefined) checkValue(entry, at, depth + 1);
  }
}

/**
 * The RFC 8785 (JCS) canonical JSON text of `value`: sorted keys, no whitespace, ECMAScript
 * number formatting (`1e+21`, `-0` → `0`). This is what Gatehouse hashes and signs.
 *
 * Object properties whose value is `undefined` are left out, as `JSON.stringify` does, so
 * optional fields of a draft may be present-but-undefined; everything else JSON cannot carry
 * faithfully is refused with a `NotCanonicalizableError`: a top-level `undefined`, `undefined`
 * or holes inside arrays, functions, symbols, BigInts, NaN and ±Infinity, lone surrogates,
 * non-plain objects (Date, Map, class instances), and nesting deeper than {@link MAX_CANONICAL_DEPTH}.
 *
 * @example canonicalJson({ b: 1, a: [true, null], c: undefined }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  checkValue(value, '$', 0);
  // checkValue refused every input for which the serializer would produce `undefined`.
  return serialize(value) as string;
}
