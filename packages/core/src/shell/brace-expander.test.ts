import { describe, expect, it } from 'vitest';
import { expandBraces } from './brace-expander.js';
import { DecompositionError } from './decomposition-error.js';
import type { WordPiece } from './shell-word.js';

function expand(pieces: readonly WordPiece[], remaining = 1000): string[] {
  return expandBraces(pieces, { remaining }).map((word) => word.map((piece) => piece.bytes).join(''));
}

const literal = (bytes: string): WordPiece => ({ bytes, kind: 'literal' });

describe('expandBraces', () => {
  it('expands comma lists, with prefix, suffix, empty and nested alternatives', () => {
    expect(expand([literal('{a,b}')])).toEqual(['a', 'b']);
    expect(expand([literal('x{a,b}y')])).toEqual(['xay', 'xby']);
    expect(expand([literal('file{,.bak}')])).toEqual(['file', 'file.bak']);
    expect(expand([literal('{a,{b,c}}')])).toEqual(['a', 'b', 'c']);
    expect(expand([literal('{1..3}{a,b}')])).toEqual(['1a', '1b', '2a', '2b', '3a', '3b']);
  });

  it('leaves braces that do not form an expansion as they are', () => {
    expect(expand([literal('{a}')])).toEqual(['{a}']);
    expect(expand([literal('{}')])).toEqual(['{}']);
    expect(expand([literal('{a,b')])).toEqual(['{a,b']);
    expect(expand([literal('{x{a,b}')])).toEqual(['{xa', '{xb']);
    expect(expand([literal('{{a,b}}')])).toEqual(['{a}', '{b}']);
    expect(expand([literal('{1..x}')])).toEqual(['{1..x}']);
  });

  it('lets a `}` close only once a comma was seen or the body is a sequence, as bash does', () => {
    expect(expand([literal('{a}x,y}')])).toEqual(['a}x', 'y']);
    expect(expand([literal('p{a}x,y}q')])).toEqual(['pa}xq', 'pyq']);
    expect(expand([literal('{a}x{b,c}')])).toEqual(['{a}xb', '{a}xc']);
    expect(expand([literal('{1..3}x}')])).toEqual(['1x}', '2x}', '3x}']);
    expect(expand([literal('{a}..{1..2}')])).toEqual(['{a}..1', '{a}..2']);
  });

  it('expands numeric and letter sequences, with steps and zero padding', () => {
    expect(expand([literal('{1..3}')])).toEqual(['1', '2', '3']);
    expect(expand([literal('{3..1}')])).toEqual(['3', '2', '1']);
    expect(expand([literal('{01..03}')])).toEqual(['01', '02', '03']);
    expect(expand([literal('{-2..2..2}')])).toEqual(['-2', '0', '2']);
    expect(expand([literal('{1..3..0}')])).toEqual(['1', '2', '3']);
    expect(expand([literal('{a..e..2}')])).toEqual(['a', 'c', 'e']);
    expect(expand([literal('{C..A}')])).toEqual(['C', 'B', 'A']);
  });

  it('does not expand quoted braces but carries quoted and dynamic pieces through', () => {
    expect(expand([{ bytes: '{a,b}', kind: 'quoted' }])).toEqual(['{a,b}']);
    expect(expand([literal('{a,'), { bytes: 'b c', kind: 'quoted' }, literal('}')])).toEqual(['a', 'b c']);
    const words = expandBraces([literal('{'), { bytes: '$x', kind: 'dynamic' }, literal(',y}')], {
      remaining: 10,
    });
    expect(words).toEqual([[{ bytes: '$x', kind: 'dynamic' }], [literal('y')]]);
  });

  it('refuses quoted text inside braces that also hold `..`, where bash follows no clear rule', () => {
    const quoted = (bytes: string): WordPiece => ({ bytes, kind: 'quoted' });
    expect(() =>
      expand([literal('{'), quoted('a,b'), literal('}'), quoted('{'), literal('05..1..2}')]),
    ).toThrow(/braces with `..`/);
    expect(expand([quoted('file'), literal('{1..2}')])).toEqual(['file1', 'file2']);
  });

  it('stops when the word budget runs out', () => {
    expect(() => expand([literal('{1..5}')], 2)).toThrow(DecompositionError);
    expect(() => expand([literal('{a,b}{a,b}{a,b}')], 5)).toThrow(DecompositionError);
  });
});
