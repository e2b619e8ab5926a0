/**
 * A small JSON Schema (2020-12) checker for the keywords `policy.schema.json` uses, so tests
 * can validate fixtures against the schema without a validator package. It refuses schemas
 * that use any other keyword, so it can never pass a document by ignoring a rule.
 */

type Schema = boolean | { readonly [keyword: string]: unknown };

/** The keywords {@link validateAgainstSchema} understands; annotations are accepted and ignored. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$defs',
  '$ref',
  'title',
  'description',
  'type',
  'properties',
  'additionalProperties',
  'required',
  'propertyNames',
  'minProperties',
  'items',
  'minItems',
  'enum',
  'const',
  'pattern',
  'minLength',
  'minimum',
  'anyOf',
  'oneOf',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every problem of `value` against `schema`, as `path: problem` strings; empty when valid. */
export function validateAgainstSchema(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    return node as Schema;
  };
  const check = (schema: Schema, data: unknown, path: string, out: string[]): void => {
    if (schema === true) return;
    if (schema === false) {
      out.push(`${path}: not allowed`);
      return;
    }
    for (const keyword of Object.keys(schema)) {
      if (!SUPPORTED_KEYWORDS.has(keyword)) throw new Error(`unsupported keyword ${keyword} at ${path}`);
    }
    const s = schema as Record<string, unknown>;
    if (typeof s.$ref === 'string') check(resolve(s.$ref), data, path, out);
    const type = typeOf(data);
    if (s.type !== undefined && s.type !== type && !(s.type === 'number' && type === 'integer')) {
      out.push(`${path}: expected ${String(s.type)}, got ${type}`);
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.some((option) => sameJson(option, data)))
      out.push(`${path}: not in enum`);
    if ('const' in s && !sameJson(s.const, data)) out.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (typeof data === 'string') {
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(data))
        out.push(`${path}: does not match ${s.pattern}`);
      if (typeof s.minLength === 'number' && data.length < s.minLength) out.push(`${path}: too short`);
    }
    if (typeof data === 'number' && typeof s.minimum === 'number' && data < s.minimum)
      out.push(`${path}: below minimum`);
    if (Array.isArray(data)) {
      if (typeof s.minItems === 'number' && data.length < s.minItems) out.push(`${path}: too few items`);
      if (s.items !== undefined) {
        for (const [index, item] of data.entries()) check(s.items as Schema, item, `${path}[${index}]`, out);
      }
    }
    if (type === 'object') {
      const object = data as Record<string, unknown>;
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of (s.required ?? []) as string[])
        if (!(key in object)) out.push(`${path}: missing ${key}`);
      if (typeof s.minProperties === 'number' && Object.keys(object).length < s.minProperties)
        out.push(`${path}: too few properties`);
      for (const [key, item] of Object.entries(object)) {
        if (s.propertyNames !== undefined)
          check(s.propertyNames as Schema, key, `${path}.${key} (name)`, out);
        if (key in properties) check(properties[key]!, item, `${path}.${key}`, out);
        else if (s.additionalProperties !== undefined)
          check(s.additionalProperties as Schema, item, `${path}.${key}`, out);
      }
    }
    const passing = (options: unknown) =>
      (options as Schema[]).filter((option) => {
        const scratch: string[] = [];
        check(option, data, path, scratch);
        return scratch.length === 0;
      }).length;
    if (Array.isArray(s.anyOf) && passing(s.anyOf) === 0) out.push(`${path}: matches none of anyOf`);
    if (Array.isArray(s.oneOf) && passing(s.oneOf) !== 1)
      out.push(`${path}: matches ${passing(s.oneOf)} of oneOf, expected 1`);
  };
  check(root, value, '$', errors);
  return errors;
}
