import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatencies } from './latency-stats.js';

describe('percentile', () => {
  it('is the nearest rank: a latency that was observed, never an interpolation', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([5, 1, 3], 50)).toBe(3);
    const samples = Array.from({ length: 500 }, (_, i) => 500 - i);
    expect(percentile(samples, 99)).toBe(495);
    expect(percentile(samples, 100)).toBe(500);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarizeLatencies', () => {
  it('gives count, p50, p90, p99 and max', () => {
    const samples = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarizeLatencies(samples)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    summarizeLatencies(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});
