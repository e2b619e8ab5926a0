import { describe, expect, it } from 'vitest';
import type { ApproverSelector, Role } from '../policy/policy-types.js';
import {
  AGENT_BOT,
  agentReviewer,
  decidedStage,
  requestWith,
  user,
} from './approval-builders.test-support.js';
import { approvalGroupsOf } from './approval-group-membership.js';
import { eligibleSelectorsFor, isEligible, selectorAdmits } from './reviewer-eligibility.js';

const ROLES: Role[] = ['user', 'moderator', 'admin'];

function eligibleFor(selector: ApproverSelector, reviewer = user('zoe'), options = {}) {
  return isEligible(requestWith([decidedStage(selector)], {}, options), reviewer, 0);
}

describe('isEligible: roles', () => {
  const expected: Record<Role, Role[]> = {
    user: ['user', 'moderator', 'admin'],
    moderator: ['moderator', 'admin'],
    admin: ['admin'],
  };
  for (const stageRole of ROLES) {
    for (const reviewerRole of ROLES) {
      const ok = expected[stageRole].includes(reviewerRole);
      it(`${reviewerRole} ${ok ? 'satisfies' : 'cannot satisfy'} a ${stageRole} stage`, () => {
        const result = eligibleFor({ kind: 'role', role: stageRole }, user('zoe', reviewerRole));
        expect(result.ok).toBe(ok);
        if (!result.ok) expect(result.code).toBe('not-eligible');
      });
    }
  }

  it('treats a human without a recorded role as a user', () => {
    const roleless = { kind: 'user' as const, id: 'zoe', teams: [], groups: [] };
    expect(eligibleFor({ kind: 'role', role: 'user' }, roleless).ok).toBe(true);
    expect(eligibleFor({ kind: 'role', role: 'moderator' }, roleless).ok).toBe(false);
  });

  it('refuses agents even for a stage any user satisfies, and even an agent named like the admin', () => {
    const result = eligibleFor({ kind: 'role', role: 'user' }, { ...agentReviewer('root'), role: 'admin' });
    expect(result).toEqual({
      ok: false,
      code: 'agent-cannot-review',
      reason: expect.stringContaining('agent root'),
    });
  });
});

describe('isEligible: teams, groups and users', () => {
  it('admits members of the named team only', () => {
    expect(eligibleFor({ kind: 'team', team: 'infra' }, user('zoe', 'user', ['web', 'infra'])).ok).toBe(true);
    expect(eligibleFor({ kind: 'team', team: 'infra' }, user('zoe', 'admin', ['web'])).ok).toBe(false);
  });

  it('admits members of the requester team, and nobody when the requester has no team', () => {
    const selector: ApproverSelector = { kind: 'requester-team' };
    expect(eligibleFor(selector, user('zoe', 'user', ['infra'])).ok).toBe(true);
    expect(eligibleFor(selector, user('zoe', 'user', ['web'])).ok).toBe(false);
    const teamless = { requester: { ...AGENT_BOT, teams: [] } };
    expect(eligibleFor(selector, user('zoe', 'admin', ['infra', 'web']), teamless).ok).toBe(false);
  });

  it('admits a group through its users or its teams, as the groups are defined at the vote', () => {
    const operators = { name: 'operators', users: ['user:dave'], teams: ['sre'] };
    const selector: ApproverSelector = { kind: 'group', group: 'operators' };
    const dave = user('dave');
    const zoe = user('zoe', 'user', ['sre']);
    const wes = user('wes', 'admin', ['infra']);
    for (const reviewer of [dave, zoe]) {
      const groups = approvalGroupsOf([operators], reviewer);
      expect(eligibleFor(selector, { ...reviewer, groups }).ok).toBe(true);
    }
    expect(eligibleFor(selector, { ...wes, groups: approvalGroupsOf([operators], wes) }).ok).toBe(false);
  });

  it("judges a group by the reviewer's groups now, not the members copied into the request", () => {
    const operators = { name: 'operators', users: ['dave'], teams: [] };
    const request = requestWith(
      [decidedStage({ kind: 'group', group: 'operators' })],
      {},
      {
        groups: new Map([['operators', operators]]),
      },
    );
    expect(request.groups.operators?.users).toEqual(['dave']);
    // dave was removed from the group after the request was created: his groups are empty now.
    expect(isEligible(request, user('dave'), 0)).toMatchObject({ ok: false, code: 'not-eligible' });
    expect(isEligible(request, user('erin', 'user', [], ['operators']), 0).ok).toBe(true);
  });

  it('admits nobody through a group the policy did not define', () => {
    const selector: ApproverSelector = { kind: 'group', group: 'constructor' };
    expect(eligibleFor(selector, user('zoe', 'admin', ['sre'])).ok).toBe(false);
  });

  it('admits listed users, written bare or as user:<id>, and never an agent of that name', () => {
    const selector: ApproverSelector = { kind: 'users', users: ['dave', 'user:erin', 'agent:zoe'] };
    expect(eligibleFor(selector, user('dave')).ok).toBe(true);
    expect(eligibleFor(selector, user('erin')).ok).toBe(true);
    expect(eligibleFor(selector, user('zoe')).ok).toBe(false);
  });

  it('refuses a stage the request does not have', () => {
    const request = requestWith([decidedStage({ kind: 'role', role: 'user' })]);
    expect(isEligible(request, user('zoe'), 1)).toMatchObject({ ok: false, code: 'not-eligible' });
  });

  it('names the selectors that admit a reviewer', () => {
    const stage = decidedStage([
      { kind: 'role', role: 'moderator' },
      { kind: 'team', team: 'web' },
      { kind: 'team', team: 'infra' },
    ]);
    const request = requestWith([stage]);
    expect(eligibleSelectorsFor(request, user('zoe', 'admin', ['infra']), 0)).toEqual([
      { kind: 'role', role: 'moderator' },
      { kind: 'team', team: 'infra' },
    ]);
    expect(eligibleSelectorsFor(request, user('zoe', 'user', []), 0)).toEqual([]);
    expect(selectorAdmits(request, { kind: 'team', team: 'web' }, agentReviewer('x', ['web']))).toBe(false);
  });
});

describe('isEligible: nobody approves their own request', () => {
  const stage = decidedStage({ kind: 'role', role: 'user' });

  it('refuses the requester when a user', () => {
    const request = requestWith(
      [stage],
      {},
      { requester: { kind: 'user', id: 'alice', role: 'admin', teams: [] } },
    );
    expect(isEligible(request, user('alice', 'admin'), 0)).toMatchObject({
      ok: false,
      code: 'self-approval',
    });
  });

  it('refuses the on-behalf-of user and the agent owner', () => {
    const request = requestWith([stage], {}, { onBehalfOf: 'user:carol' });
    expect(isEligible(request, user('carol', 'admin'), 0)).toMatchObject({
      ok: false,
      code: 'self-approval',
    });
    expect(isEligible(request, user('alice', 'admin'), 0)).toMatchObject({
      ok: false,
      code: 'self-approval',
      reason: expect.stringContaining('owns the requesting agent'),
    });
    expect(isEligible(request, user('dave'), 0)).toEqual({ ok: true });
  });

  it('lets them review when the requirement allows self-approval', () => {
    const request = requestWith([stage], { selfApproval: true }, { onBehalfOf: 'carol' });
    expect(isEligible(request, user('carol'), 0)).toEqual({ ok: true });
    expect(isEligible(request, user('alice'), 0)).toEqual({ ok: true });
  });

  it('does not confuse a user with an agent of the same id', () => {
    const request = requestWith([stage], {}, { requester: { kind: 'agent', id: 'dave', teams: [] } });
    expect(isEligible(request, user('dave'), 0)).toEqual({ ok: true });
  });
});
