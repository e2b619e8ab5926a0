import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_MS, MAX_GRANT_TTL_MS, parseDuration } from './policy-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['30s', 30 * S],
    ['10m', 10 * M],
    ['4h', 4 * H],
    ['7d', 7 * D],
    ['1h30m', H + 30 * M],
    ['1d2h3m4s', D + 2 * H + 3 * M + 4 * S],
    ['90m', 90 * M],
    ['365d', 365 * D],
    ['0h5m', 5 * M],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([
    '',
    '30',
    'm',
    '1.5h',
    '30m1h',
    '1h1h',
    '-5m',
    '5 m',
    ' 5m',
    '5ms',
    '1w',
    '5M',
    '1h 30m',
    '99999999d',
  ])('refuses %j as malformed', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('expected a form such as 30s');
  });

  it('refuses zero, and durations over the maximum', () => {
    expect(parseDuration('0s')).toEqual({ ok: false, reason: '"0s" is zero; expected a positive duration' });
    expect(parseDuration('0d0h')).toMatchObject({ ok: false });
    expect(parseDuration('365d1s')).toEqual({
      ok: false,
      reason: '"365d1s" is longer than 365d; expected at most 365d',
    });
    expect(parseDuration('24h', MAX_GRANT_TTL_MS)).toEqual({ ok: true, ms: D });
    expect(parseDuration('24h1s', MAX_GRANT_TTL_MS)).toEqual({
      ok: false,
      reason: '"24h1s" is longer than 1d; expected at most 1d',
    });
  });

  it('reads back every duration it formats (whole seconds up to 365d)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_DURATION_MS / S }), (seconds) => {
        expect(parseDuration(formatDuration(seconds * S))).toEqual({ ok: true, ms: seconds * S });
      }),
    );
  });

  it('sums the units it is given, in any combination', () => {
    const part = fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, (d, h, m, s) => {
        const text = `${d === undefined ? '' : `${d}d`}${h === undefined ? '' : `${h}h`}${m === undefined ? '' : `${m}m`}${s === undefined ? '' : `${s}s`}`;
        const ms = (d ?? 0) * D + (h ?? 0) * H + (m ?? 0) * M + (s ?? 0) * S;
        const result = parseDuration(text);
        if (text === '' || ms === 0 || ms > MAX_DURATION_MS) expect(result.ok).toBe(false);
        else expect(result).toEqual({ ok: true, ms });
      }),
    );
  });
});

describe('formatDuration', () => {
  it('writes the largest units first and leaves out zero units', () => {
    expect(formatDuration(H + 30 * M)).toBe('1h30m');
    expect(formatDuration(D + 5 * S)).toBe('1d5s');
    expect(formatDuration(0)).toBe('0s');
  });
});
