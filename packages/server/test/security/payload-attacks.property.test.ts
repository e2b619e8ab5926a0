import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../src/http/http-test-app.test-support.js';

// The body guard's specification, as properties over arbitrary JSON bodies sent in process:
// one value without an exact canonical form, injected at any path of `params` or `context`,
// is always a 400 naming that path (never a 500, never accepted); bodies without one are never
// refused for these reasons. Both routes that judge a payload are exercised.

const RUNS = 150;
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** How the API names a child: `a.b`, `a["b c"]`, `a[2]` (the core's canonical-json paths). */
const child = (path: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

const wellFormed = (text: string) => text.isWellFormed();
// `team` is a context field the server checks against the requester's teams: not this guard's concern.
const keyArb = fc
  .string({ maxLength: 8 })
  .filter((key) => wellFormed(key) && key !== '__proto__' && key !== 'team');
const leafArb = fc.oneof(
  fc.string({ maxLength: 12, unit: 'binary' }).filter(wellFormed),
  fc.integer({ min: -MAX_EXACT, max: MAX_EXACT }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -MAX_EXACT, max: MAX_EXACT }),
  fc.boolean(),
  fc.constant(null),
);
const { json: jsonArb } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('json'), { maxKeys: 4 }),
  ),
}));
const objectArb = fc.dictionary(keyArb, jsonArb, { maxKeys: 5 });

/** A value that must be refused, written as raw JSON text, and whether it sits in a key. */
interface Poison {
  readonly raw: string;
  readonly inKey: boolean;
}
const poisonArb: fc.Arbitrary<Poison> = fc
  .oneof(
    fc.constantFrom('1e400', '-1e400', '1e99999', '9007199254740992', '-18446744073709551616', '1.5e300'),
    fc.constantFrom('"\\ud800"', '"a\\udfffb"', '"\\udc00\\ud800"', '"x\\ud83d"'),
  )
  .map((raw) => ({ raw, inKey: false }));
const poisonKeyArb: fc.Arbitrary<Poison> = fc
  .constantFrom('"\\ud800"', '"k\\udc00"', '"__proto__"')
  .map((raw) => ({ raw, inKey: true }));

const MARK = '\u0000poison\u0000';

/**
 * `base` with `MARK` inserted where `steps` lead: each step picks a child container of the
 * current one (modulo its size, one more to stop). The mark is a value there, or (`inKey`) a
 * key of an object there. Returns the body and the path of the value, or of the key's object.
 */
function inject(base: Record<string, unknown>, steps: readonly number[], root: string, inKey: boolean) {
  const body = structuredClone(base);
  let container: Record<string, unknown> | unknown[] = body;
  let path = root;
  for (const step of steps) {
    const entries: [string | number, unknown][] = Array.isArray(container)
      ? container.map((value, index) => [index, value])
      : Object.entries(container);
    const next = entries[step % (entries.length + 1)];
    if (next === undefined || next[1] === null || typeof next[1] !== 'object') break;
    path = typeof next[0] === 'number' ? `${path}[${next[0]}]` : child(path, next[0]);
    container = next[1] as Record<string, unknown> | unknown[];
  }
  if (Array.isArray(container)) {
    container.push(inKey ? { [MARK]: 1 } : MARK);
    return { body, path: `${path}[${container.length - 1}]` };
  }
  if (inKey) {
    container[MARK] = 1;
    return { body, path };
  }
  container.zz_poison = MARK;
  return { body, path: child(path, 'zz_poison') };
}

/** The raw body text with the mark replaced by the poison, and the field the API must name. */
function poisoned(
  base: Record<string, unknown>,
  where: 'params' | 'context',
  steps: readonly number[],
  poison: Poison,
): { text: string; field: string } {
  const { body, path } = inject(base, steps, where, poison.inKey);
  const marked = JSON.stringify(MARK);
  const text = JSON.stringify({ action: 'test.action', params: {}, [where]: body });
  if (!poison.inKey) return { text: text.replace(marked, poison.raw), field: path };
  const key = JSON.parse(poison.raw) as string;
  return { text: text.replace(`${marked}:`, `${poison.raw}:`), field: child(path, key) };
}

describe('the JSON body guard, as properties over arbitrary bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const post = async (path: string, text: string) => {
    const res = await t.call('POST', path, { as: 'ci-bot', body: text });
    return { status: res.status, body: (await res.json()) as { errors?: { field: string }[] } };
  };

  it('refuses one poisoned value at any path with 400 naming that path, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        objectArb,
        fc.constantFrom('params' as const, 'context' as const),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.oneof(poisonArb, poisonKeyArb),
        fc.constantFrom('/v1/evaluate', '/v1/requests'),
        async (base, where, steps, poison, route) => {
          const { text, field } = poisoned(base, where, steps, poison);
          const reply = await post(route, text);
          expect(reply.status).toBe(400);
          expect(reply.body.errors?.map((issue) => issue.field)).toEqual([field]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never refuses a body without such values for these reasons', async () => {
    await fc.assert(
      fc.asyncProperty(
        objectArb,
        objectArb,
        fc.constantFrom('/v1/evaluate', '/v1/requests'),
        async (params, context, route) => {
          const reply = await post(route, JSON.stringify({ action: 'test.action', params, context }));
          expect(reply.status).toBe(route === '/v1/evaluate' ? 200 : 201);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
