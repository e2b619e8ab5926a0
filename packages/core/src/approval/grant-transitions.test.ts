import { describe, expect, it } from 'vitest';
import {
  AGENT_BOT,
  applyAll,
  consume,
  expectOk,
  grantedRequest,
  MAYA,
  MODERATOR_STAGE,
  PAYLOAD_HASH,
  refusalDraft,
  requestWith,
  T0,
  user,
  vote,
} from './approval-builders.test-support.js';
import { transition } from './approval-state-machine.js';
import type { RequestEvent } from './approval-types.js';

const CONSUME: RequestEvent = consume('g1', PAYLOAD_HASH);
const SUCCEEDED: RequestEvent = {
  type: 'report-outcome',
  by: AGENT_BOT,
  result: 'succeeded',
  detail: 'deployed',
};

describe('transition: issue-grant', () => {
  it('issues a grant living the shorter of the asked ttl and the requirement grantTtl', () => {
    const approved = applyAll(requestWith([MODERATOR_STAGE], { grantTtl: 60_000 }), [vote(MAYA)]);
    const result = transition(approved, { type: 'issue-grant', jti: 'g1', ttl: 600_000 }, T0 + 10);
    expect(expectOk(result).grant).toEqual({ jti: 'g1', issuedAt: T0 + 10, expiresAt: T0 + 10 + 60_000 });
    expect(result.audit).toEqual([
      {
        type: 'grant.issued',
        actor: 'system',
        subject: 'request:r1',
        data: {
          jti: 'g1',
          action: 'deploy.production',
          payloadHash: PAYLOAD_HASH,
          issuedAt: T0 + 10,
          expiresAt: T0 + 10 + 60_000,
        },
      },
    ]);
    const shorter = transition(approved, { type: 'issue-grant', jti: 'g1', ttl: 5_000 }, T0);
    expect(expectOk(shorter).grant?.expiresAt).toBe(T0 + 5_000);
  });

  it('issues one grant only', () => {
    const draft = refusalDraft(
      transition(grantedRequest(), { type: 'issue-grant', jti: 'g2', ttl: 1 }, T0),
      'grant-already-issued',
    );
    expect(draft).toMatchObject({ type: 'grant.refused', data: { operation: 'issue', jti: 'g2' } });
  });

  it('refuses grants for every state but approved', () => {
    const request = requestWith([MODERATOR_STAGE]);
    const denied = applyAll(request, [vote(MAYA, 'deny', 'no')]);
    const cancelled = applyAll(request, [{ type: 'cancel', by: AGENT_BOT }]);
    for (const r of [request, denied, cancelled]) {
      refusalDraft(transition(r, { type: 'issue-grant', jti: 'g1', ttl: 1 }, T0), 'not-approved');
      refusalDraft(transition(r, CONSUME, T0), 'not-approved');
    }
  });
});

describe('transition: consume-grant', () => {
  it('consumes a matching grant once, before it expires', () => {
    const granted = grantedRequest();
    const at = granted.grant!.expiresAt - 1;
    const result = transition(granted, CONSUME, at);
    const consumed = expectOk(result);
    expect(consumed.grant).toEqual({ ...granted.grant, consumedAt: at });
    expect(consumed.status).toBe('approved');
    expect(result.audit).toEqual([
      {
        type: 'grant.consumed',
        actor: 'agent:bot',
        subject: 'request:r1',
        data: {
          jti: 'g1',
          payloadHash: PAYLOAD_HASH,
          consumedAt: at,
          presenter: 'agent:bot',
          as: 'requester',
        },
      },
    ]);
  });

  it('refuses an approved request without a grant as a mismatch', () => {
    const approved = applyAll(requestWith([MODERATOR_STAGE]), [vote(MAYA)]);
    refusalDraft(transition(approved, CONSUME, T0), 'grant-mismatch');
  });
});

describe('transition: report-outcome', () => {
  it('records the outcome once the grant is used', () => {
    const consumed = applyAll(grantedRequest(), [CONSUME]);
    const result = transition(consumed, SUCCEEDED, T0 + 50);
    expect(expectOk(result).outcome).toEqual({ result: 'succeeded', at: T0 + 50, detail: 'deployed' });
    expect(result.audit).toEqual([
      {
        type: 'request.outcome',
        actor: 'agent:bot',
        subject: 'request:r1',
        data: { result: 'succeeded', detail: 'deployed' },
      },
    ]);
  });

  it('refuses before consumption, a second time, and from anyone but the requester', () => {
    const draft = refusalDraft(transition(grantedRequest(), SUCCEEDED, T0), 'not-consumed');
    expect(draft).toMatchObject({
      type: 'outcome.refused',
      actor: 'agent:bot',
      data: { result: 'succeeded' },
    });
    const reported = applyAll(grantedRequest(), [CONSUME, SUCCEEDED]);
    refusalDraft(transition(reported, { ...SUCCEEDED, result: 'failed' }, T0), 'outcome-already-reported');
    const consumed = applyAll(grantedRequest(), [CONSUME]);
    const stranger = transition(consumed, { ...SUCCEEDED, by: user('alice', 'admin') }, T0);
    expect(refusalDraft(stranger, 'not-requester')).toMatchObject({
      type: 'outcome.refused',
      actor: 'user:alice',
    });
  });
});
