import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.js';

describe('login limiter', () => {
  it('allows the limit per window and IP, then refuses until the oldest attempt leaves the window', () => {
    const limiter = createLoginLimiter({ limit: 3, windowMs: 60_000 });
    expect(limiter.attempt('10.0.0.1', 0).allowed).toBe(true);
    expect(limiter.attempt('10.0.0.1', 10_000).allowed).toBe(true);
    expect(limiter.attempt('10.0.0.1', 20_000).allowed).toBe(true);
    expect(limiter.attempt('10.0.0.1', 30_000)).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
      firstRefusal: true,
    });
    expect(limiter.attempt('10.0.0.1', 59_999)).toMatchObject({ allowed: false, firstRefusal: false });
    // Another address has its own window.
    expect(limiter.attempt('10.0.0.2', 30_000).allowed).toBe(true);
    // The window slides: at 60 s the attempt made at 0 s no longer counts.
    expect(limiter.attempt('10.0.0.1', 60_000).allowed).toBe(true);
    expect(limiter.attempt('10.0.0.1', 60_001)).toMatchObject({ allowed: false, firstRefusal: true });
  });

  it('defaults to 20 attempts a minute', () => {
    const limiter = createLoginLimiter();
    for (let i = 0; i < 20; i += 1) expect(limiter.attempt('ip', i).allowed).toBe(true);
    expect(limiter.attempt('ip', 20).allowed).toBe(false);
  });

  it('forgets the least recently seen addresses beyond its bound', () => {
    const limiter = createLoginLimiter({ limit: 1, maxTrackedIps: 2 });
    limiter.attempt('a', 0);
    limiter.attempt('b', 0);
    limiter.attempt('c', 0); // forgets a
    expect(limiter.attempt('a', 1).allowed).toBe(true);
    expect(limiter.attempt('c', 1).allowed).toBe(false);
  });
});
