import { describe, expect, it } from 'vitest';
import {
  ADMIN_STAGE,
  AGENT_BOT,
  agentReviewer,
  applyAll,
  consume,
  decidedStage,
  grantedRequest,
  HOUR,
  MAYA,
  MODERATOR_STAGE,
  PAYLOAD_HASH,
  refusalDraft,
  requestWith,
  T0,
  user,
  vote,
} from './approval-builders.test-support.js';
import { approvalGroupsOf } from './approval-group-membership.js';
import { transition } from './approval-state-machine.js';

/** Security cases (DESIGN §4): each attack is refused with its code *and* the refusal is audited. */

const anyUserStage = decidedStage({ kind: 'role', role: 'user' }, 1, { name: 'anyone' });

describe('attacks on reviews', () => {
  it('requester cannot approve own request', () => {
    const alice = user('alice', 'admin');
    const request = requestWith([anyUserStage], {}, { requester: { ...alice, kind: 'user' } });
    const draft = refusalDraft(transition(request, vote(alice), T0), 'self-approval');
    expect(draft).toEqual({
      type: 'review.refused',
      actor: 'user:alice',
      subject: 'request:r1',
      data: {
        decision: 'approve',
        stage: 0,
        code: 'self-approval',
        reason: 'user alice made this request and the policy does not allow self-approval',
        status: 'pending',
      },
    });
  });

  it('on-behalf-of user cannot approve', () => {
    const request = requestWith([anyUserStage], {}, { onBehalfOf: 'carol' });
    const draft = refusalDraft(transition(request, vote(user('carol', 'moderator')), T0), 'self-approval');
    expect(draft).toMatchObject({
      type: 'review.refused',
      actor: 'user:carol',
      data: { code: 'self-approval' },
    });
    expect(draft.data.reason).toContain('is the user this request acts for');
  });

  it('agent owner cannot approve', () => {
    const request = requestWith([anyUserStage]);
    const draft = refusalDraft(transition(request, vote(user('alice', 'admin')), T0), 'self-approval');
    expect(draft).toMatchObject({
      type: 'review.refused',
      actor: 'user:alice',
      data: { code: 'self-approval' },
    });
    expect(draft.data.reason).toContain('owns the requesting agent');
  });

  it('agent cannot review', () => {
    const request = requestWith([anyUserStage]);
    const draft = refusalDraft(transition(request, vote(agentReviewer('helper')), T0), 'agent-cannot-review');
    expect(draft).toMatchObject({
      type: 'review.refused',
      actor: 'agent:helper',
      data: { code: 'agent-cannot-review', decision: 'approve' },
    });
  });

  it('an agent cannot review even by denying', () => {
    const request = requestWith([anyUserStage]);
    const result = transition(request, vote(agentReviewer('helper'), 'deny', 'looks bad'), T0);
    expect(refusalDraft(result, 'agent-cannot-review').data.decision).toBe('deny');
  });

  it('moderator cannot satisfy admin stage', () => {
    const request = requestWith([ADMIN_STAGE]);
    const draft = refusalDraft(transition(request, vote(MAYA), T0), 'not-eligible');
    expect(draft).toMatchObject({
      type: 'review.refused',
      actor: 'user:maya',
      data: { code: 'not-eligible', stage: 0 },
    });
    expect(draft.data.reason).toContain('role:admin');
  });

  it('member of another team cannot satisfy team stage', () => {
    const request = requestWith([decidedStage({ kind: 'team', team: 'payments' })]);
    const draft = refusalDraft(transition(request, vote(user('wes', 'admin', ['web'])), T0), 'not-eligible');
    expect(draft).toMatchObject({
      type: 'review.refused',
      actor: 'user:wes',
      data: { code: 'not-eligible' },
    });
  });

  it('one vote per person across two groups', () => {
    const groups = new Map([
      ['operators', { name: 'operators', users: [], teams: ['infra'] }],
      ['security', { name: 'security', users: [], teams: ['sec'] }],
    ]);
    const request = requestWith(
      [
        decidedStage({ kind: 'group', group: 'operators' }),
        decidedStage({ kind: 'group', group: 'security' }),
      ],
      {},
      { groups },
    );
    const dave = user(
      'dave',
      'user',
      ['infra', 'sec'],
      approvalGroupsOf(groups.values(), { id: 'dave', teams: ['infra', 'sec'] }),
    );
    const afterFirst = applyAll(request, [vote(dave)]);
    expect(afterFirst.stageIndex).toBe(1);
    const draft = refusalDraft(transition(afterFirst, vote(dave), T0 + 1), 'already-voted');
    expect(draft).toMatchObject({
      type: 'review.refused',
      actor: 'user:dave',
      data: { code: 'already-voted', stage: 1 },
    });
  });

  it('one vote per person within a stage that needs two', () => {
    const request = requestWith([decidedStage({ kind: 'role', role: 'moderator' }, 2)]);
    const once = applyAll(request, [vote(MAYA)]);
    refusalDraft(transition(once, vote(MAYA), T0), 'already-voted');
    expect(once.status).toBe('pending');
  });

  it('approve after expiry is refused', () => {
    const request = requestWith([MODERATOR_STAGE]);
    const draft = refusalDraft(transition(request, vote(MAYA), request.expiresAt), 'expired');
    expect(draft).toMatchObject({ type: 'review.refused', actor: 'user:maya', data: { code: 'expired' } });
  });

  it('approve after cancel is refused', () => {
    const cancelled = applyAll(requestWith([MODERATOR_STAGE]), [{ type: 'cancel', by: AGENT_BOT }]);
    const draft = refusalDraft(transition(cancelled, vote(MAYA), T0 + 1), 'not-pending');
    expect(draft).toMatchObject({
      type: 'review.refused',
      data: { code: 'not-pending', status: 'cancelled' },
    });
  });
});

describe('attacks on cancel and override', () => {
  it('a reviewer cannot cancel a request they did not make', () => {
    const request = requestWith([MODERATOR_STAGE]);
    const draft = refusalDraft(transition(request, { type: 'cancel', by: MAYA }, T0), 'not-requester');
    expect(draft).toMatchObject({
      type: 'cancel.refused',
      actor: 'user:maya',
      data: { code: 'not-requester' },
    });
  });

  it('the agent owner cannot cancel in the agent name', () => {
    const request = requestWith([MODERATOR_STAGE]);
    const result = transition(request, { type: 'cancel', by: user('alice', 'admin') }, T0);
    expect(refusalDraft(result, 'not-requester').actor).toBe('user:alice');
  });

  it('admin cannot override own request', () => {
    const root = user('root', 'admin');
    const request = requestWith(
      [ADMIN_STAGE],
      { override: { by: ['admin'], justificationRequired: true } },
      {
        requester: { kind: 'user', id: 'root', role: 'admin', teams: [] },
      },
    );
    const event = { type: 'override' as const, by: root, justification: 'outage' };
    const draft = refusalDraft(transition(request, event, T0), 'self-approval');
    expect(draft).toMatchObject({
      type: 'override.refused',
      actor: 'user:root',
      data: { code: 'self-approval', role: 'admin', justification: 'outage' },
    });
  });

  it('moderator cannot override when only the admin may', () => {
    const request = requestWith([ADMIN_STAGE], { override: { by: ['admin'], justificationRequired: false } });
    const result = transition(request, { type: 'override', by: MAYA, justification: 'urgent' }, T0);
    expect(refusalDraft(result, 'override-not-allowed')).toMatchObject({
      type: 'override.refused',
      actor: 'user:maya',
    });
  });

  it('agent cannot override, whatever role it claims', () => {
    const request = requestWith([ADMIN_STAGE], { override: { by: ['admin'], justificationRequired: false } });
    const agent = { ...agentReviewer('helper'), role: 'admin' as const };
    const result = transition(request, { type: 'override', by: agent, justification: 'trust me' }, T0);
    expect(refusalDraft(result, 'override-not-allowed').actor).toBe('agent:helper');
  });
});

describe('attacks on grants', () => {
  it('grant consumed twice', () => {
    const once = applyAll(grantedRequest(), [consume('g1', PAYLOAD_HASH)], T0 + 1);
    const result = transition(once, consume('g1', PAYLOAD_HASH), T0 + 2);
    expect(refusalDraft(result, 'grant-consumed')).toEqual({
      type: 'grant.refused',
      actor: 'agent:bot',
      subject: 'request:r1',
      data: {
        operation: 'consume',
        presenter: 'agent:bot',
        jti: 'g1',
        payloadHash: PAYLOAD_HASH,
        expectedPayloadHash: PAYLOAD_HASH,
        code: 'grant-consumed',
        reason: `grant g1 was already used at ${T0 + 1}`,
        status: 'approved',
      },
    });
  });

  it('grant with changed payload hash', () => {
    const changed = 'b'.repeat(64);
    const result = transition(grantedRequest(), consume('g1', changed), T0 + 1);
    expect(refusalDraft(result, 'grant-mismatch')).toMatchObject({
      type: 'grant.refused',
      data: { code: 'grant-mismatch', payloadHash: changed, expectedPayloadHash: PAYLOAD_HASH },
    });
  });

  it('grant with a foreign jti', () => {
    const result = transition(grantedRequest(), consume('g2', PAYLOAD_HASH), T0);
    expect(refusalDraft(result, 'grant-mismatch')).toMatchObject({
      type: 'grant.refused',
      data: { jti: 'g2' },
    });
  });

  it('expired grant', () => {
    const granted = grantedRequest();
    const at = granted.grant!.expiresAt;
    const result = transition(granted, consume('g1', PAYLOAD_HASH), at);
    expect(refusalDraft(result, 'grant-expired')).toMatchObject({
      type: 'grant.refused',
      data: { code: 'grant-expired' },
    });
  });

  it('grant presented by an agent that did not ask for it', () => {
    const thief = { kind: 'agent' as const, id: 'thief' };
    const result = transition(grantedRequest(), consume('g1', PAYLOAD_HASH, thief), T0 + 1);
    expect(refusalDraft(result, 'not-grant-holder')).toMatchObject({
      type: 'grant.refused',
      actor: 'agent:thief',
      data: { code: 'not-grant-holder', presenter: 'agent:thief' },
    });
  });

  it('grant presented by a user of the same id as the requesting agent', () => {
    const result = transition(
      grantedRequest(),
      consume('g1', PAYLOAD_HASH, { kind: 'user', id: 'bot' }, ['agent:bot']),
      T0,
    );
    refusalDraft(result, 'not-grant-holder');
  });

  it('grant consumed by an executor the policy names, recorded as the executor', () => {
    const deployer = { kind: 'agent' as const, id: 'deployer' };
    const result = transition(
      grantedRequest(),
      consume('g1', PAYLOAD_HASH, deployer, ['agent:deployer']),
      T0,
    );
    expect(result.ok && result.audit[0]).toMatchObject({
      type: 'grant.consumed',
      actor: 'agent:deployer',
      data: { presenter: 'agent:deployer', as: 'executor' },
    });
  });

  it('a grant for a request that was never approved', () => {
    const request = requestWith([MODERATOR_STAGE]);
    const result = transition(request, { type: 'issue-grant', jti: 'g1', ttl: HOUR }, T0);
    expect(refusalDraft(result, 'not-approved')).toMatchObject({
      type: 'grant.refused',
      data: { operation: 'issue' },
    });
  });
});
