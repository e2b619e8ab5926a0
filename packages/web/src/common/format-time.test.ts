import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration } from './format-time.js';

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3h 12m');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2d 4h');
    expect(formatDuration(-5)).toBe('0s');
  });
});

describe('formatAgo', () => {
  it('says how long ago', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(formatAgo('2026-11-24T09:59:50Z', now)).toBe('just now');
    expect(formatAgo('2026-11-24T09:55:00Z', now)).toBe('5m ago');
    expect(formatAgo('2026-11-22T10:00:00Z', now)).toBe('2d ago');
  });
});
