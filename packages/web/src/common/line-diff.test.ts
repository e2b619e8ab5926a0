import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines } from './line-diff.js';

const text = (lines: readonly string[]) => lines.map((line) => `${line}\n`).join('');

describe('diffLines', () => {
  it('marks a changed line as removed then added, numbering both sides', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\n')).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'b', oldLine: 2 },
      { kind: 'added', text: 'B', newLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 3 },
    ]);
  });

  it('handles empty sides', () => {
    expect(diffLines('', 'x')).toEqual([{ kind: 'added', text: 'x', newLine: 1 }]);
    expect(diffLines('x\n', '')).toEqual([{ kind: 'removed', text: 'x', oldLine: 1 }]);
    expect(diffLines('', '')).toEqual([]);
  });

  it('rebuilds both texts and keeps a longest common subsequence (property)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const diff = diffLines(text(before), text(after));
        expect(diff.filter((l) => l.kind !== 'added').map((l) => l.text)).toEqual(before);
        expect(diff.filter((l) => l.kind !== 'removed').map((l) => l.text)).toEqual(after);
        // Minimal: the unchanged lines are as many as the LCS allows.
        const lcs = (x: readonly string[], y: readonly string[]): number => {
          const t = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
          for (let i = x.length - 1; i >= 0; i--)
            for (let j = y.length - 1; j >= 0; j--)
              t[i]![j] = x[i] === y[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
          return t[0]![0]!;
        };
        expect(diff.filter((l) => l.kind === 'same').length).toBe(lcs(before, after));
      }),
    );
  });
});
