import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../adapters/node.js';
import { canonicalJson, NotCanonicalizableError } from '../audit/canonical-json.js';
import {
  type ActionPayload,
  PAYLOAD_CONTEXT_FIELDS,
  PAYLOAD_HASH_VERSION,
  payloadHash,
} from './payload-hash.js';

const base: ActionPayload = {
  action: 'deploy.production',
  params: { ref: 'v1.2.3', replicas: 3, flags: ['--wait'] },
  context: {
    environment: 'prod',
    team: 'infra',
    workflow: 'release',
    runId: 'run-42',
    reason: 'ship it',
    risk: 'low',
  },
  onBehalfOf: 'alice',
};
const hash = (payload: ActionPayload) => payloadHash(payload, nodeSha256);

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, entry]) => [key, reversedKeys(entry)]),
  );
}

describe('payloadHash', () => {
  it('is SHA-256 of the canonical JSON of { v, action, params, bound context, onBehalfOf }', () => {
    const text =
      '{"action":"deploy.production","context":{"environment":"prod","runId":"run-42","team":"infra","workflow":"release"},' +
      '"onBehalfOf":"alice","params":{"flags":["--wait"],"ref":"v1.2.3","replicas":3},"v":1}';
    expect(PAYLOAD_HASH_VERSION).toBe(1);
    expect(hash(base)).toBe(nodeSha256(text));
  });

  it('binds environment, team, workflow and runId, and nothing else of the context', () => {
    expect(PAYLOAD_CONTEXT_FIELDS).toEqual(['environment', 'team', 'workflow', 'runId']);
    expect(Object.isFrozen(PAYLOAD_CONTEXT_FIELDS)).toBe(true);
  });

  it("ignores the agent's own words: reason and risk hint", () => {
    const reworded = {
      ...base,
      context: { ...base.context, reason: 'totally safe', risk: 'none', extra: 1 },
    };
    expect(hash(reworded)).toBe(hash(base));
  });

  it('changes with any bound context field, including when one is added or removed', () => {
    for (const field of PAYLOAD_CONTEXT_FIELDS) {
      expect(hash({ ...base, context: { ...base.context, [field]: 'other' } })).not.toBe(hash(base));
      const { [field]: _removed, ...without } = base.context;
      expect(hash({ ...base, context: without })).not.toBe(hash(base));
    }
  });

  it('changes with the action and with onBehalfOf', () => {
    expect(hash({ ...base, action: 'deploy.staging' })).not.toBe(hash(base));
    expect(hash({ ...base, onBehalfOf: 'bob' })).not.toBe(hash(base));
    const { onBehalfOf: _absent, ...alone } = base;
    expect(hash(alone)).not.toBe(hash(base));
  });

  it('treats an absent and an undefined field alike, and null as a value', () => {
    expect(hash({ ...base, onBehalfOf: undefined, context: { ...base.context, team: undefined } })).toBe(
      hash({ action: base.action, params: base.params, context: { ...base.context, team: undefined } }),
    );
    expect(hash({ ...base, context: { ...base.context, team: null } })).not.toBe(
      hash({ ...base, context: { ...base.context, team: undefined } }),
    );
  });

  it('does not bind a context field the object only inherits', () => {
    const inherited = Object.create({ environment: 'prod' }) as Record<string, unknown>;
    expect(hash({ ...base, context: inherited })).toBe(hash({ ...base, context: {} }));
  });

  it('refuses params JSON cannot carry', () => {
    expect(() => hash({ ...base, params: { at: new Date(0) } })).toThrow(NotCanonicalizableError);
  });

  it('changes when any param changes, at any depth (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 5 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        (params, pick, replacement) => {
          const keys = Object.keys(params);
          const key = keys[pick % keys.length]!;
          fc.pre(canonicalJson(params[key]) !== canonicalJson(replacement));
          const changed = { ...params, [key]: replacement };
          expect(hash({ ...base, params: changed })).not.toBe(hash({ ...base, params }));
          expect(hash({ ...base, params: { ...params, 'added-key!': 1 } })).not.toBe(
            hash({ ...base, params }),
          );
        },
      ),
    );
  });

  it('does not depend on key order anywhere in params or context (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })), (params) => {
        const shuffled: ActionPayload = {
          onBehalfOf: base.onBehalfOf,
          context: reversedKeys(base.context) as Record<string, unknown>,
          params: reversedKeys(params) as Record<string, unknown>,
          action: base.action,
        };
        expect(hash(shuffled)).toBe(hash({ ...base, params }));
      }),
    );
  });
});
