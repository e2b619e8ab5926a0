import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../errors.js';
import { canonicalJson, MAX_CANONICAL_DEPTH, NotCanonicalizableError } from './canonical-json.js';

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { k: value };
  return value;
}

function refusal(value: unknown): NotCanonicalizableError {
  try {
    canonicalJson(value);
  } catch (error) {
    if (error instanceof NotCanonicalizableError) return error;
    throw error;
  }
  throw new Error('expected canonicalJson to refuse the value');
}

describe('canonicalJson: RFC 8785 test vectors', () => {
  it('sorts keys and formats values (the "values" vector)', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, not by locale or code point (the "weird" vector)', () => {
    const input = {
      '€': 'Euro Sign',
      '1': 'One',
      '\u0080': 'Control',
      '\ud83d\ude02': 'Smiley',
      ö: 'Latin Small Letter O With Diaeresis',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '</script>': 'Browser Challenge',
    };
    expect(canonicalJson(input)).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😂":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('ignores locale when sorting (the "french" vector)', () => {
    const input = { peach: 1, péché: 2, pêche: 3, sin: 4 };
    expect(canonicalJson(input)).toBe('{"peach":1,"péché":2,"pêche":3,"sin":4}');
  });

  it('sorts nested structures and arrays keep their order (the "structures" and "arrays" vectors)', () => {
    const structures = {
      '1': { f: { f: 'hi', F: 5 }, '\n': 56.0 },
      '10': {},
      '': 'empty',
      a: {},
      '111': [{ e: 'yes', E: 'no' }],
      A: { b: '123' },
    };
    expect(canonicalJson(structures)).toBe(
      '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{"b":"123"},"a":{}}',
    );
    expect(canonicalJson([56, { d: true, '10': null, '1': [] }])).toBe('[56,{"1":[],"10":null,"d":true}]');
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
  ])('formats the IEEE 754 value 0x%s as %s (RFC 8785 appendix B)', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
  });

  it('writes -0 as 0 and 1e21 in exponent form', () => {
    expect(canonicalJson({ z: -0, big: 1e21, under: 1e20 })).toBe(
      '{"big":1e+21,"under":100000000000000000000,"z":0}',
    );
  });
});

describe('canonicalJson: what it leaves out and what it refuses', () => {
  it('drops undefined-valued object properties, as JSON does', () => {
    expect(canonicalJson({ b: undefined, a: { c: undefined, d: 1 } })).toBe('{"a":{"d":1}}');
  });

  it.each<[string, unknown, string]>([
    ['a top-level undefined', undefined, '$'],
    ['undefined inside an array', [1, undefined], '$[1]'],
    ['a sparse array', new Array<number>(3).fill(1, 0, 1), '$[1]'],
    ['a function', { run: () => 1 }, '$.run'],
    ['a symbol', { s: Symbol('x') }, '$.s'],
    ['a BigInt', { n: 10n }, '$.n'],
    ['NaN', { n: Number.NaN }, '$.n'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0]'],
    ['-Infinity', { 'odd key': Number.NEGATIVE_INFINITY }, '$["odd key"]'],
    ['a Date', { when: new Date(0) }, '$.when'],
    ['a Map', { m: new Map() }, '$.m'],
    ['a class instance', { c: new (class Thing {})() }, '$.c'],
    ['a boxed string', { s: new String('x') }, '$.s'],
    ['a symbol-keyed property', { [Symbol('k')]: 1 }, '$'],
    ['a lone surrogate in a string', { s: 'a\ud800' }, '$.s'],
    ['a lone surrogate in a key', { '\udc00': 1 }, '$["\\udc00"]'],
  ])('refuses %s, naming where it is', (_what, value, path) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(GatehouseError);
    expect(error.code).toBe('not-canonicalizable');
    expect(error.path).toBe(path);
  });

  it(`accepts ${MAX_CANONICAL_DEPTH} levels of nesting and refuses one more`, () => {
    expect(canonicalJson(nested(MAX_CANONICAL_DEPTH))).toContain('1');
    expect(refusal(nested(MAX_CANONICAL_DEPTH + 1)).message).toContain('deeper than 64');
  });

  it('refuses a cycle instead of overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(refusal(cyclic).code).toBe('not-canonicalizable');
  });

  it('accepts objects without a prototype and paired surrogates', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: '😀', a: 1 });
    expect(canonicalJson(bare)).toBe('{"a":1,"b":"😀"}');
  });
});

describe('canonicalJson: properties', () => {
  it('is a fixed point of JSON.parse and independent of key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        const reversed = JSON.parse(text, (_key, entry: unknown) =>
          entry !== null && typeof entry === 'object' && !Array.isArray(entry)
            ? Object.fromEntries(Object.entries(entry).reverse())
            : entry,
        );
        expect(canonicalJson(reversed)).toBe(text);
      }),
    );
  });

  it('round-trips through JSON.parse to an equal value (up to -0)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
