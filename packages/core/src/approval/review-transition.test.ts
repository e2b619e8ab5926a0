import { describe, expect, it } from 'vitest';
import {
  ADMIN_STAGE,
  applyAll,
  decidedStage,
  expectOk,
  MAYA,
  MODERATOR_STAGE,
  refusalDraft,
  requestWith,
  T0,
  user,
  vote,
} from './approval-builders.test-support.js';
import { transition } from './approval-state-machine.js';

const twoModerators = decidedStage({ kind: 'role', role: 'moderator' }, 2, {
  name: 'two-mods',
  rule: 'prod',
});
const infraTeam = decidedStage({ kind: 'team', team: 'infra' }, 1, { name: 'infra', rule: 'prod' });
const NICK = user('nick', 'moderator');
const ROOT = user('root', 'admin');

describe('transition: review', () => {
  it('records an approval that does not complete its stage, with review.recorded only', () => {
    const request = requestWith([twoModerators]);
    const result = transition(request, vote(MAYA, 'approve', 'fine'), T0 + 5);
    const next = expectOk(result);
    expect(next).toMatchObject({ status: 'pending', stageIndex: 0 });
    expect(next.reviews).toEqual([
      { reviewer: 'maya', decision: 'approve', comment: 'fine', stage: 0, at: T0 + 5 },
    ]);
    expect(result.audit).toEqual([
      {
        type: 'review.recorded',
        actor: 'user:maya',
        subject: 'request:r1',
        data: {
          decision: 'approve',
          stage: 0,
          stageName: 'two-mods',
          comment: 'fine',
          via: ['role:moderator'],
        },
      },
    ]);
  });

  it('completes a stage at min distinct approvals and moves to the next stage', () => {
    const request = requestWith([twoModerators, ADMIN_STAGE]);
    const once = applyAll(request, [vote(MAYA)]);
    const result = transition(once, vote(NICK), T0 + 1);
    expect(expectOk(result)).toMatchObject({ status: 'pending', stageIndex: 1 });
    expect(result.audit.map((d) => d.type)).toEqual(['review.recorded', 'stage.completed']);
    expect(result.audit[1]?.data).toEqual({
      stage: { index: 0, name: 'two-mods', rule: 'prod', min: 2, denyMin: 1 },
      approvers: ['maya', 'nick'],
    });
  });

  it('approves when the last stage is met, with stages-met', () => {
    const request = applyAll(requestWith([infraTeam, ADMIN_STAGE]), [vote(user('ivy', 'user', ['infra']))]);
    const result = transition(request, vote(ROOT), T0 + 9);
    expect(expectOk(result)).toMatchObject({
      status: 'approved',
      stageIndex: 2,
      decidedAt: T0 + 9,
      decidedBy: 'stages-met',
    });
    expect(result.audit.map((d) => d.type)).toEqual([
      'review.recorded',
      'stage.completed',
      'request.approved',
    ]);
    expect(result.audit[2]).toMatchObject({
      actor: 'user:root',
      data: { decidedBy: 'stages-met', approvers: ['ivy', 'root'] },
    });
  });

  it('counts a vote only for the stage that is current', () => {
    // Root could satisfy both stages but is asked only for the current one, and has one vote.
    const request = requestWith([MODERATOR_STAGE, ADMIN_STAGE]);
    const next = applyAll(request, [vote(ROOT)]);
    expect(next).toMatchObject({ status: 'pending', stageIndex: 1 });
    refusalDraft(transition(next, vote(ROOT), T0), 'already-voted');
  });

  it('denies at the first eligible denial by default, with denied-by-reviewer', () => {
    const request = requestWith([twoModerators]);
    const result = transition(request, vote(MAYA, 'deny', 'wrong cluster'), T0 + 3);
    expect(expectOk(result)).toMatchObject({
      status: 'denied',
      decidedAt: T0 + 3,
      decidedBy: 'denied-by-reviewer',
    });
    expect(result.audit.map((d) => d.type)).toEqual(['review.recorded', 'request.denied']);
    expect(result.audit[1]).toMatchObject({
      actor: 'user:maya',
      data: { decidedBy: 'denied-by-reviewer', deniers: ['maya'], comment: 'wrong cluster' },
    });
  });

  it('waits for denyMin denials before denying', () => {
    const stage = decidedStage({ kind: 'role', role: 'moderator' }, 3, { denyMin: 2 });
    const once = applyAll(requestWith([stage]), [vote(MAYA, 'deny', 'no')]);
    expect(once.status).toBe('pending');
    expect(once.reviews).toHaveLength(1);
    const result = transition(once, vote(NICK, 'deny', 'no either'), T0);
    expect(expectOk(result).status).toBe('denied');
    expect(result.audit[1]?.data.deniers).toEqual(['maya', 'nick']);
  });

  it('requires a comment to deny', () => {
    const request = requestWith([MODERATOR_STAGE]);
    for (const comment of [undefined, '', '   ']) {
      const draft = refusalDraft(transition(request, vote(MAYA, 'deny', comment), T0), 'comment-required');
      expect(draft).toMatchObject({
        type: 'review.refused',
        data: { decision: 'deny', code: 'comment-required' },
      });
    }
  });

  it('refuses an ineligible denial too: a stranger cannot block a request', () => {
    const request = requestWith([ADMIN_STAGE]);
    refusalDraft(transition(request, vote(MAYA, 'deny', 'no'), T0), 'not-eligible');
  });

  it('accepts a review one millisecond before expiry', () => {
    const request = requestWith([MODERATOR_STAGE]);
    expect(expectOk(transition(request, vote(MAYA), request.expiresAt - 1)).status).toBe('approved');
  });

  it('returns a frozen request and never mutates the one it was given', () => {
    const request = requestWith([twoModerators]);
    const next = expectOk(transition(request, vote(MAYA), T0));
    expect(request.reviews).toEqual([]);
    expect(Object.isFrozen(next)).toBe(true);
    expect(Object.isFrozen(next.reviews)).toBe(true);
    expect(Object.isFrozen(next.reviews[0])).toBe(true);
  });
});
