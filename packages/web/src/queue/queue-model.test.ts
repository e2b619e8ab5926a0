import { describe, expect, it } from 'vitest';
import type { RequestView } from '../api/api-types.js';
import {
  applyRequestChange,
  matchesFilters,
  parseQueueQuery,
  queueQueryOf,
  rowsOfTab,
  tabCounts,
} from './queue-model.js';

function request(id: string, overrides: Partial<RequestView> = {}): RequestView {
  return {
    id,
    status: 'pending',
    verified: { requester: { kind: 'agent', id: 'ci-bot', teams: [] }, policyVersion: 'v', rules: ['r'] },
    bound: { action: 'shell.execute', params: { command: `echo ${id}` }, context: {}, payloadHash: 'h' },
    claimed: { context: {} },
    risk: 'medium',
    createdAt: `2026-11-24T09:00:0${id.length}Z`,
    expiresAt: '2026-11-24T10:00:00Z',
    escalated: false,
    stages: [],
    reviews: [],
    viewer: { canReview: false },
    ...overrides,
  };
}

describe('the queue model', () => {
  it('puts what awaits me first in "all", once', () => {
    const mine = request('a', { viewer: { canReview: true } });
    const lists = { awaiting: [mine], all: [request('bb'), mine] };
    expect(rowsOfTab(lists, 'all', {}).map((r) => r.id)).toEqual(['a', 'bb']);
    expect(tabCounts(lists, {})).toEqual({ all: 2, awaiting: 1, pending: 2, decided: 0 });
  });

  it('moves a request out of "awaiting me" once it is decided (live change)', () => {
    const mine = request('a', { viewer: { canReview: true } });
    const decided = { ...mine, status: 'approved' as const, viewer: { canReview: false } };
    const lists = applyRequestChange({ awaiting: [mine], all: [mine] }, decided);
    expect(lists.awaiting).toEqual([]);
    expect(lists.all).toEqual([decided]);
    expect(rowsOfTab(lists, 'decided', {}).map((r) => r.id)).toEqual(['a']);
  });

  it('adds a new request at the top (live arrival)', () => {
    const older = request('a');
    const newer = request('bbb', { viewer: { canReview: true } });
    const lists = applyRequestChange({ awaiting: [], all: [older] }, newer);
    expect(lists.all.map((r) => r.id)).toEqual(['bbb', 'a']);
    expect(lists.awaiting.map((r) => r.id)).toEqual(['bbb']);
  });

  it('filters by agent and free text', () => {
    const bot = request('a', {
      bound: {
        action: 'shell.execute',
        params: { command: 'git push --force' },
        context: {},
        payloadHash: 'h',
      },
    });
    const human = request('b', {
      verified: { requester: { kind: 'user', id: 'bob', teams: [] }, policyVersion: 'v', rules: ['r'] },
    });
    expect(matchesFilters(bot, { agent: 'CI' })).toBe(true);
    expect(matchesFilters(human, { agent: 'ci' })).toBe(false);
    expect(matchesFilters(bot, { search: 'push' })).toBe(true);
    expect(matchesFilters(human, { search: 'push' })).toBe(false);
    expect(matchesFilters(bot, { risk: 'high' })).toBe(false);
  });

  it('round-trips filters and tab through the query string, dropping bad values', () => {
    const query = queueQueryOf({ status: 'pending', risk: 'high', search: 'rm -rf' }, 'awaiting');
    expect(parseQueueQuery(query)).toEqual({
      filters: { status: 'pending', risk: 'high', search: 'rm -rf' },
      tab: 'awaiting',
    });
    expect(parseQueueQuery('?status=bogus&risk=extreme&tab=nope')).toEqual({ filters: {}, tab: 'all' });
  });
});
