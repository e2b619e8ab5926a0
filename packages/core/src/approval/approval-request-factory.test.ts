import { describe, expect, it } from 'vitest';
import type { ActionInput, Principal } from '../policy/decision-types.js';
import type { ApprovalGroup } from '../policy/policy-types.js';
import {
  AGENT_BOT,
  decidedStage,
  HOUR,
  MODERATOR_STAGE,
  PAYLOAD_HASH,
  requestWith,
  requireDecision,
  requirementOf,
  T0,
  user,
} from './approval-builders.test-support.js';
import { approvalGroupsOf } from './approval-group-membership.js';
import { createApprovalRequest } from './approval-request-factory.js';
import { isEligible } from './reviewer-eligibility.js';

const operators: ApprovalGroup = { name: 'operators', users: ['dave'], teams: ['sre'] };
const security: ApprovalGroup = { name: 'security', users: [], teams: ['sec'] };

function create(requester: Principal, context: ActionInput['context'] = {}) {
  const input: ActionInput = {
    action: 'deploy.production',
    params: { service: 'api', replicas: [1, 2] },
    context,
    requester,
    onBehalfOf: 'carol',
  };
  return createApprovalRequest({
    id: 'r9',
    input,
    decision: requireDecision(
      requirementOf([decidedStage({ kind: 'group', group: 'operators' }), MODERATOR_STAGE], {
        expiresIn: 4 * HOUR,
      }),
    ),
    groups: new Map([
      ['operators', operators],
      ['security', security],
    ]),
    payloadHash: PAYLOAD_HASH,
    now: T0,
  });
}

describe('createApprovalRequest', () => {
  it('starts pending at stage 0, expiring after the requirement expiry', () => {
    const { request } = create(AGENT_BOT);
    expect(request).toMatchObject({
      v: 1,
      id: 'r9',
      action: 'deploy.production',
      payloadHash: PAYLOAD_HASH,
      policyVersion: 'policy-v1',
      rules: ['rule'],
      risk: 'high',
      status: 'pending',
      stageIndex: 0,
      reviews: [],
      createdAt: T0,
      expiresAt: T0 + 4 * HOUR,
      escalated: false,
      onBehalfOf: 'carol',
    });
  });

  it('copies only the groups its stages name', () => {
    expect(create(AGENT_BOT).request.groups).toEqual({ operators });
  });

  it('snapshots the action and requirement deeply frozen, so later edits change nothing', () => {
    const params = { service: 'api', tags: ['a'] };
    const requirement = requirementOf([MODERATOR_STAGE]);
    const { request } = createApprovalRequest({
      id: 'r1',
      input: { action: 'x.y', params, context: {}, requester: AGENT_BOT },
      decision: requireDecision(requirement),
      groups: new Map(),
      payloadHash: PAYLOAD_HASH,
      now: T0,
    });
    params.tags.push('b');
    (requirement.stages as unknown[]).push(MODERATOR_STAGE);
    expect(request.params).toEqual({ service: 'api', tags: ['a'] });
    expect(request.requirement.stages).toHaveLength(1);
    expect(Object.isFrozen(request)).toBe(true);
    expect(Object.isFrozen(request.params.tags)).toBe(true);
    expect(Object.isFrozen(request.requirement.stages[0]?.approvers)).toBe(true);
  });

  it('takes the context team only when the requester belongs to it, else the first team, else none', () => {
    const member: Principal = { kind: 'user', id: 'erin', teams: ['web', 'infra'] };
    expect(create(member, { team: 'infra' }).request.requesterTeam).toBe('infra');
    expect(create(member, { team: 'payments' }).request.requesterTeam).toBe('web');
    expect(create(member).request.requesterTeam).toBe('web');
    expect(create({ ...member, teams: [] }, { team: 'infra' }).request.requesterTeam).toBeUndefined();
  });

  it('audits request.created by the requester, with what was asked and what it needs', () => {
    const { request, audit } = create(AGENT_BOT);
    expect(audit).toEqual([
      {
        type: 'request.created',
        actor: 'agent:bot',
        subject: 'request:r9',
        data: {
          action: 'deploy.production',
          payloadHash: PAYLOAD_HASH,
          policyVersion: 'policy-v1',
          rules: ['rule'],
          risk: 'high',
          stages: [
            { index: 0, name: 'stage', rule: 'rule', min: 1, denyMin: 1, approvers: ['group:operators'] },
            { index: 1, name: 'moderators', rule: 'rule', min: 1, denyMin: 1, approvers: ['role:moderator'] },
          ],
          expiresAt: request.expiresAt,
          onBehalfOf: 'carol',
        },
      },
    ]);
    expect(create({ kind: 'user', id: 'erin', teams: [] }).audit[0]?.actor).toBe('user:erin');
  });

  it('names a group the policy does not define, which then admits nobody', () => {
    const input: ActionInput = { action: 'x.y', params: {}, context: {}, requester: AGENT_BOT };
    const { request, audit } = createApprovalRequest({
      id: 'r1',
      input,
      decision: requireDecision(requirementOf([decidedStage({ kind: 'group', group: 'ghosts' })])),
      groups: new Map(),
      payloadHash: PAYLOAD_HASH,
      now: T0,
    });
    expect(request.groups).toEqual({});
    expect(audit[0]?.data.unresolvedGroups).toEqual(['ghosts']);
  });

  it('keeps a group named __proto__ as plain data that admits its members', () => {
    const odd: ApprovalGroup = { name: '__proto__', users: ['dave'], teams: [] };
    const request = requestWith(
      [decidedStage({ kind: 'group', group: '__proto__' })],
      {},
      {
        groups: new Map([['__proto__', odd]]),
      },
    );
    expect(Object.hasOwn(request.groups, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(request.groups)).toBe(Object.prototype);
    const dave = user('dave');
    expect(isEligible(request, { ...dave, groups: approvalGroupsOf([odd], dave) }, 0)).toEqual({ ok: true });
    expect(isEligible(request, user('zoe'), 0)).toMatchObject({ ok: false, code: 'not-eligible' });
  });
});
