import { describe, expect, it } from 'vitest';
import type { CombinedRequirement } from '../policy/decision-types.js';
import {
  ADMIN_STAGE,
  AGENT_BOT,
  applyAll,
  expectOk,
  HOUR,
  MAYA,
  MODERATOR_STAGE,
  refusalDraft,
  requestWith,
  T0,
  user,
  vote,
} from './approval-builders.test-support.js';
import { transition } from './approval-state-machine.js';
import type { RequestEvent } from './approval-types.js';

const TIMEOUT: RequestEvent = { type: 'timeout' };
const ROOT = user('root', 'admin');

function timedOut(onTimeout: CombinedRequirement['onTimeout']) {
  const request = requestWith([MODERATOR_STAGE], { onTimeout });
  return { request, result: transition(request, TIMEOUT, request.expiresAt) };
}

describe('transition: cancel', () => {
  it('lets the requesting agent cancel', () => {
    const result = transition(requestWith([MODERATOR_STAGE]), { type: 'cancel', by: AGENT_BOT }, T0 + 1);
    expect(expectOk(result)).toMatchObject({
      status: 'cancelled',
      decidedAt: T0 + 1,
      decidedBy: 'cancelled',
    });
    expect(result.audit).toEqual([
      {
        type: 'request.cancelled',
        actor: 'agent:bot',
        subject: 'request:r1',
        data: { decidedBy: 'cancelled' },
      },
    ]);
  });

  it('lets the on-behalf-of user cancel', () => {
    const request = requestWith([MODERATOR_STAGE], {}, { onBehalfOf: 'carol' });
    expect(expectOk(transition(request, { type: 'cancel', by: user('carol') }, T0)).status).toBe('cancelled');
  });

  it('requires the same kind as well as the same id', () => {
    const request = requestWith([MODERATOR_STAGE]);
    refusalDraft(transition(request, { type: 'cancel', by: user('bot') }, T0), 'not-requester');
  });

  it('refuses to cancel a request that is no longer pending', () => {
    const approved = applyAll(requestWith([MODERATOR_STAGE]), [vote(MAYA)]);
    const draft = refusalDraft(transition(approved, { type: 'cancel', by: AGENT_BOT }, T0), 'not-pending');
    expect(draft).toMatchObject({ type: 'cancel.refused', actor: 'agent:bot', data: { status: 'approved' } });
  });
});

describe('transition: timeout', () => {
  it('is not due before the expiry', () => {
    const request = requestWith([MODERATOR_STAGE]);
    const draft = refusalDraft(transition(request, TIMEOUT, request.expiresAt - 1), 'not-due');
    expect(draft).toMatchObject({
      type: 'timeout.refused',
      actor: 'system',
      data: { expiresAt: request.expiresAt },
    });
  });

  it('expires with timeout-deny', () => {
    const { request, result } = timedOut('deny');
    expect(expectOk(result)).toMatchObject({
      status: 'expired',
      decidedAt: request.expiresAt,
      decidedBy: 'timeout-deny',
    });
    expect(result.audit).toMatchObject([{ type: 'request.expired', actor: 'system' }]);
  });

  it('approves with timeout-approve, flagged as a timeout', () => {
    const { result } = timedOut('approve');
    expect(expectOk(result)).toMatchObject({ status: 'approved', decidedBy: 'timeout-approve' });
    expect(result.audit).toEqual([
      {
        type: 'request.approved',
        actor: 'system',
        subject: 'request:r1',
        data: { decidedBy: 'timeout-approve', timeout: true },
      },
    ]);
  });

  it('escalates once, extending the expiry and notifying admin and moderators, then expires', () => {
    const { request, result } = timedOut('escalate');
    const escalated = expectOk(result);
    expect(escalated).toMatchObject({
      status: 'pending',
      escalated: true,
      expiresAt: request.expiresAt + HOUR,
    });
    expect(result.audit).toMatchObject([
      {
        type: 'request.escalated',
        data: { notify: ['admin', 'moderator'], expiresAt: request.expiresAt + HOUR },
      },
    ]);
    // Still reviewable during the extension.
    expect(expectOk(transition(escalated, vote(MAYA), request.expiresAt + 1)).status).toBe('approved');
    refusalDraft(transition(escalated, TIMEOUT, escalated.expiresAt - 1), 'not-due');
    const second = transition(escalated, TIMEOUT, escalated.expiresAt);
    expect(expectOk(second)).toMatchObject({ status: 'expired', decidedBy: 'timeout-deny' });
    expect(second.audit[0]).toMatchObject({ type: 'request.expired', data: { escalated: true } });
  });

  it('does nothing to a request already decided', () => {
    const approved = applyAll(requestWith([MODERATOR_STAGE]), [vote(MAYA)]);
    refusalDraft(transition(approved, TIMEOUT, approved.expiresAt + HOUR), 'not-pending');
  });
});

describe('transition: override', () => {
  const adminOverride = { override: { by: ['admin' as const], justificationRequired: true } };

  it('approves a pending request, flagged, with the override recorded', () => {
    const request = requestWith([ADMIN_STAGE, MODERATOR_STAGE], adminOverride);
    const result = transition(request, { type: 'override', by: ROOT, justification: 'outage #42' }, T0 + 7);
    expect(expectOk(result)).toMatchObject({
      status: 'approved',
      decidedAt: T0 + 7,
      decidedBy: 'override',
      stageIndex: 0,
      override: { by: 'root', role: 'admin', justification: 'outage #42', at: T0 + 7 },
    });
    expect(result.audit).toEqual([
      {
        type: 'request.overridden',
        actor: 'user:root',
        subject: 'request:r1',
        data: { flagged: true, role: 'admin', justification: 'outage #42', stageIndex: 0 },
      },
      {
        type: 'request.approved',
        actor: 'user:root',
        subject: 'request:r1',
        data: { decidedBy: 'override', flagged: true },
      },
    ]);
  });

  it('is not allowed when the requirement names no override', () => {
    const request = requestWith([ADMIN_STAGE]);
    const result = transition(request, { type: 'override', by: ROOT, justification: 'x' }, T0);
    expect(refusalDraft(result, 'override-not-allowed').data.reason).toContain('allowed: nobody');
  });

  it('needs a justification when the policy says so, and not otherwise', () => {
    const request = requestWith([ADMIN_STAGE], adminOverride);
    const draft = refusalDraft(
      transition(request, { type: 'override', by: ROOT, justification: '  ' }, T0),
      'justification-required',
    );
    expect(draft.type).toBe('override.refused');
    const lenient = requestWith([ADMIN_STAGE], { override: { by: ['admin'], justificationRequired: false } });
    expect(expectOk(transition(lenient, { type: 'override', by: ROOT, justification: '' }, T0)).status).toBe(
      'approved',
    );
  });

  it('lets the agent owner override only when the requirement allows self-approval', () => {
    const alice = user('alice', 'admin');
    const event = { type: 'override' as const, by: alice, justification: 'mine, allowed' };
    refusalDraft(transition(requestWith([ADMIN_STAGE], adminOverride), event, T0), 'self-approval');
    const relaxed = requestWith([ADMIN_STAGE], { ...adminOverride, selfApproval: true });
    expect(expectOk(transition(relaxed, event, T0)).decidedBy).toBe('override');
  });

  it('refuses overrides once the request is decided or past its expiry', () => {
    const request = requestWith([ADMIN_STAGE], adminOverride);
    const event = { type: 'override' as const, by: ROOT, justification: 'late' };
    refusalDraft(transition(request, event, request.expiresAt), 'expired');
    const cancelled = applyAll(request, [{ type: 'cancel', by: AGENT_BOT }]);
    refusalDraft(transition(cancelled, event, T0), 'not-pending');
  });
});
