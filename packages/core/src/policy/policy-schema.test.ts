import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SUPPORTED_KEYWORDS, validateAgainstSchema } from './json-schema-subset.test-support.js';
import { EXAMPLE, INVALID, readFixture, VALID, yamlFiles } from './policy-fixtures.test-support.js';
import { POLICY_KEYS } from './policy-keys.js';

type SchemaObject = { readonly [keyword: string]: unknown };

const SCHEMA_FILE = fileURLToPath(new URL('../../policy.schema.json', import.meta.url));
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaObject;

function at(pointer: string): SchemaObject {
  let node: unknown = schema;
  for (const part of pointer.split('/').filter((p) => p !== '' && p !== '#'))
    node = (node as SchemaObject)[part];
  if (typeof node !== 'object' || node === null) throw new Error(`nothing at ${pointer}`);
  return node as SchemaObject;
}

function propertiesOf(pointer: string): string[] {
  const node = at(pointer);
  if (node.properties === undefined && Array.isArray(node.oneOf))
    return (node.oneOf as SchemaObject[]).flatMap((option) => Object.keys(option.properties ?? {}));
  return Object.keys(node.properties ?? {});
}

/** Every subschema, with its JSON pointer. */
function* subschemas(node: unknown, pointer = '#'): Generator<[string, SchemaObject]> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const object = node as SchemaObject;
  yield [pointer, object];
  for (const keyword of ['properties', '$defs']) {
    for (const [key, child] of Object.entries((object[keyword] ?? {}) as SchemaObject)) {
      yield* subschemas(child, `${pointer}/${keyword}/${key}`);
    }
  }
  for (const keyword of ['items', 'additionalProperties', 'propertyNames'])
    yield* subschemas(object[keyword], `${pointer}/${keyword}`);
  for (const keyword of ['anyOf', 'oneOf']) {
    for (const [index, child] of ((object[keyword] ?? []) as unknown[]).entries())
      yield* subschemas(child, `${pointer}/${keyword}/${index}`);
  }
}

describe('policy.schema.json', () => {
  it('is a draft 2020-12 schema using only keywords the test checker knows, with resolvable $refs', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const [pointer, node] of subschemas(schema)) {
      for (const keyword of Object.keys(node))
        expect(SUPPORTED_KEYWORDS.has(keyword), `${pointer}: ${keyword}`).toBe(true);
      if (typeof node.$ref === 'string') expect(() => at(node.$ref as string), pointer).not.toThrow();
      if (node.pattern !== undefined)
        expect(() => new RegExp(node.pattern as string, 'u'), pointer).not.toThrow();
    }
  });

  it('closes every object type with named properties and documents every property', () => {
    // Branches of anyOf/oneOf that only constrain values (no `type`) are not object types of their own.
    for (const [pointer, node] of subschemas(schema)) {
      if (node.type !== 'object' || node.properties === undefined) continue;
      expect(node.additionalProperties, pointer).toBe(false);
      for (const [key, property] of Object.entries(node.properties as Record<string, SchemaObject>)) {
        const described =
          property.description ??
          (typeof property.$ref === 'string' ? at(property.$ref).description : undefined);
        expect(typeof described, `${pointer}/properties/${key}`).toBe('string');
      }
    }
  });

  it.each([
    ['#', [...POLICY_KEYS.policy, ...POLICY_KEYS.teamPolicy]],
    ['#/$defs/seedEntry', POLICY_KEYS.seedEntry],
    ['#/$defs/defaults', POLICY_KEYS.defaults],
    ['#/$defs/group', POLICY_KEYS.group],
    ['#/$defs/rule', POLICY_KEYS.rule],
    ['#/$defs/match', POLICY_KEYS.match],
    ['#/$defs/commandPattern', POLICY_KEYS.commandPattern],
    ['#/$defs/require', POLICY_KEYS.require],
    ['#/$defs/stage', POLICY_KEYS.stage],
    ['#/$defs/selector', POLICY_KEYS.selector],
    ['#/$defs/override', POLICY_KEYS.override],
  ] as const)('names exactly the keys the parser accepts at %s', (pointer, keys) => {
    expect(propertiesOf(pointer).sort()).toEqual([...new Set(keys)].sort());
  });

  it.each([
    ...yamlFiles(VALID).map((name) => [`valid/${name}`, readFixture(VALID, name)]),
    ['examples/policy.yaml', readFileSync(EXAMPLE, 'utf8')],
  ])('accepts %s', (_name, text) => {
    expect(validateAgainstSchema(schema, parse(text))).toEqual([]);
  });

  // Problems of structure (keys, types, enums, formats) are the schema's to catch too.
  it.each([
    'unknown-key',
    'wrong-type',
    'invalid-value',
    'invalid-duration',
    'several-problems',
    'not-a-mapping',
    'empty',
    'unsupported-version',
    'approve-on-risky',
    'unsatisfiable-stage',
    'never-matching-glob',
  ])('refuses invalid/%s.yaml', (name) => {
    expect(validateAgainstSchema(schema, parse(readFixture(INVALID, `${name}.yaml`))).length).toBeGreaterThan(
      0,
    );
  });

  // Problems of meaning (CEL, references, uniqueness, team scope) only the parser can see.
  it.each(['invalid-cel', 'unknown-group', 'duplicate-rule', 'command-needs-shell', 'team-policy-allow'])(
    'lets invalid/%s.yaml through, leaving it to the parser',
    (name) => {
      expect(validateAgainstSchema(schema, parse(readFixture(INVALID, `${name}.yaml`)))).toEqual([]);
    },
  );

  it('checks what it claims: the subset checker refuses simple violations', () => {
    const rule = { name: 'r', match: { action: 'a.b' }, deny: 'x' };
    expect(validateAgainstSchema(schema, { rules: [rule] })).toEqual([]);
    expect(validateAgainstSchema(schema, { rules: [{ ...rule, allow: true }] })).not.toEqual([]);
    expect(validateAgainstSchema(schema, { rules: [{ ...rule, deny: undefined }] })).not.toEqual([]);
    expect(validateAgainstSchema(schema, { defaults: { expiresIn: '30m1h' } })).not.toEqual([]);
    expect(validateAgainstSchema(schema, { defaults: { expiresIn: '1h30m' } })).toEqual([]);
    expect(validateAgainstSchema(schema, { groups: { Ops: { users: ['a'] } } })).not.toEqual([]);
  });
});
