import { describe, expect, it } from 'vitest';
import { formatMicros, judgeTargets, renderReport, summaryLine } from './report-writer.js';

function size(ours, cedar, casbin) {
  const row = (key, label, [p50, p99]) => ({ key, label, samples: 2000, p50, p99, batchedMean: p50 });
  return {
    count: 1000,
    poolSize: 2000,
    outcomeMix: { allow: 1, deny: 1, require: 1, defaulted: 0 },
    rows: [row('ours', 'ours', ours), row('cedar', 'cedar', cedar), row('casbin', 'casbin', casbin)],
    checks: [{ label: 'all', compared: 2000, disagreements: [] }],
  };
}

describe('judgeTargets', () => {
  it('says met only when the numbers meet the target', () => {
    const verdicts = (s) => judgeTargets(s).map((t) => t.met);
    expect(verdicts(size([1, 5], [150, 500], [60, 100]))).toEqual([true, true, true, true]);
    expect(verdicts(size([2.5, 11], [200, 500], [100, 100]))).toEqual([false, false, false, false]);
    expect(verdicts(size([2, 10], [200, 500], [100, 100]))).toEqual([true, true, true, true]);
  });
});

describe('summaryLine', () => {
  it('is the one line the brief asks for', () => {
    expect(summaryLine(size([0.5, 3], [1750.7, 5000], [354.3, 900]), true)).toBe(
      'policy-bench rules=1000 ours_p50_us=0.500 ours_p99_us=3.000 cedar_p50_us=1750.7 casbin_p50_us=354.3 agree=true',
    );
  });
});

describe('renderReport', () => {
  it('states a missed target plainly', () => {
    const environment = {
      date: 'd',
      cpu: 'c',
      cores: 2,
      load: 'l',
      node: 'n',
      platform: 'p',
      ours: 'o',
      cedar: 'x',
      casbin: 'y',
    };
    const text = renderReport({
      environment,
      sizes: [size([3, 20], [200, 500], [100, 100])],
      method: { rules: '', queries: '', timing: '' },
    });
    expect(text).toContain('| ours p50 ≤ 2 µs | 3.000 µs | **not met** |');
    expect(text).toContain('| ≥ 50× faster than casbin (p50) | 33× | **not met** |');
  });
});

describe('formatMicros', () => {
  it('keeps about three significant digits', () => {
    expect(formatMicros(0.4567)).toBe('0.457');
    expect(formatMicros(45.678)).toBe('45.68');
    expect(formatMicros(1750.72)).toBe('1750.7');
    expect(formatMicros(Number.NaN)).toBe('n/a');
  });
});
