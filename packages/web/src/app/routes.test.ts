import { describe, expect, it } from 'vitest';
import { isInAppPath, returnPathOf, signInPathFrom } from './return-path.js';
import { matchRoute, requestPath } from './routes.js';

describe('matchRoute', () => {
  it('maps every page', () => {
    expect(matchRoute('/')).toEqual({ page: 'queue' });
    expect(matchRoute('/requests/abc')).toEqual({ page: 'request', id: 'abc' });
    expect(matchRoute(requestPath('a b'))).toEqual({ page: 'request', id: 'a b' });
    expect(matchRoute('/audit')).toEqual({ page: 'audit' });
    expect(matchRoute('/policy')).toEqual({ page: 'policy', tab: 'active' });
    expect(matchRoute('/policy/edit')).toEqual({ page: 'policy', tab: 'edit' });
    expect(matchRoute('/admin')).toEqual({ page: 'admin', section: 'users' });
    expect(matchRoute('/admin/tokens/')).toEqual({ page: 'admin', section: 'tokens' });
    expect(matchRoute('/admin/emergency')).toEqual({ page: 'admin', section: 'emergency' });
    expect(matchRoute('/sign-in')).toEqual({ page: 'sign-in' });
  });

  it('says not found for anything else', () => {
    expect(matchRoute('/policy/nope')).toEqual({ page: 'not-found' });
    expect(matchRoute('/requests/a/b')).toEqual({ page: 'not-found' });
    expect(matchRoute('/elsewhere')).toEqual({ page: 'not-found' });
  });
});

describe('isInAppPath', () => {
  it('accepts only same-origin paths (no open redirect after sign-in)', () => {
    expect(isInAppPath('/requests/1?x=2')).toBe(true);
    expect(isInAppPath('//evil.example/')).toBe(false);
    expect(isInAppPath('/\\evil.example')).toBe(false);
    expect(isInAppPath('https://evil.example/')).toBe(false);
    expect(isInAppPath('javascript:alert(1)')).toBe(false);
  });
});

describe('the way back after sign-in', () => {
  it('round-trips the page the reviewer was on', () => {
    const signIn = signInPathFrom('/requests/42?tab=raw');
    expect(signIn).toBe('/sign-in?next=%2Frequests%2F42%3Ftab%3Draw');
    expect(returnPathOf(signIn.slice('/sign-in'.length))).toBe('/requests/42?tab=raw');
  });

  it('falls back to the queue for foreign or missing targets', () => {
    expect(returnPathOf('?next=https%3A%2F%2Fevil.example')).toBe('/');
    expect(returnPathOf('?next=%2F%2Fevil.example')).toBe('/');
    expect(returnPathOf('')).toBe('/');
    expect(signInPathFrom('/')).toBe('/sign-in');
  });
});
