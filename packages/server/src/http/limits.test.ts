import { describe, expect, it } from 'vitest';
import { jsonBoundsProblem, jsonBytes, jsonDepth, MAX_JSON_DEPTH } from './limits.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? { next: value } : [value];
  return value;
}

describe('input limits', () => {
  it('counts nesting: scalars 0, an object of scalars 1, arrays and objects alike', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth(null)).toBe(0);
    expect(jsonDepth({ a: 1, b: 'two' })).toBe(1);
    expect(jsonDepth({ a: [1, { b: 2 }] })).toBe(3);
    expect(jsonDepth(nested(MAX_JSON_DEPTH))).toBe(MAX_JSON_DEPTH);
  });

  it('stops counting past the limit, so a hostile value costs little', () => {
    expect(jsonDepth(nested(100_000))).toBe(MAX_JSON_DEPTH + 1);
  });

  it('accepts up to 32 levels and 64 KiB, and says which bound was broken', () => {
    expect(jsonBoundsProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonBoundsProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/deeper than 32/);
    expect(jsonBoundsProblem({ blob: 'é'.repeat(33 * 1024) })).toMatch(/at most 65536 bytes/);
    expect(jsonBytes({ a: 'é' })).toBe(10);
  });
});
