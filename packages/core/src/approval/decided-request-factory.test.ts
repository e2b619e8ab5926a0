import { describe, expect, it } from 'vitest';
import type { ActionInput, Decision } from '../policy/decision-types.js';
import { transition } from './approval-state-machine.js';
import { createDecidedRequest } from './decided-request-factory.js';

const input: ActionInput = {
  action: 'shell.execute',
  params: { command: 'ls' },
  context: { environment: 'dev' },
  requester: { kind: 'agent', id: 'bot', teams: [], owner: 'alice' },
};

describe('createDecidedRequest', () => {
  it('records an allowed action as approved, ready for a grant limited by the policy grantTtl', () => {
    const decision: Decision = {
      outcome: 'allow',
      reason: 'default',
      matched: [],
      risk: 'low',
      grantTtl: 60_000,
      policyVersion: 'v1',
    };
    const { request, audit } = createDecidedRequest({
      id: 'r1',
      input,
      decision,
      payloadHash: 'h',
      now: 1000,
    });
    expect(request).toMatchObject({ status: 'approved', decidedBy: 'policy-allow', decidedAt: 1000 });
    expect(audit.map((draft) => draft.type)).toEqual(['request.created', 'request.approved']);
    const granted = transition(request, { type: 'issue-grant', jti: 'j1', ttl: 600_000 }, 2000);
    expect(granted.ok && granted.request.grant).toEqual({ jti: 'j1', issuedAt: 2000, expiresAt: 62_000 });
  });

  it('records a denied action with every reason, and accepts no review', () => {
    const decision: Decision = {
      outcome: 'deny',
      reason: 'rule',
      reasons: [{ rule: 'never', reason: 'no' }],
      matched: [],
      risk: 'high',
      policyVersion: 'v1',
    };
    const { request, audit } = createDecidedRequest({
      id: 'r2',
      input,
      decision,
      payloadHash: 'h',
      now: 1000,
    });
    expect(request.status).toBe('denied');
    expect(audit[1]).toMatchObject({
      type: 'request.denied',
      data: { reasons: [{ rule: 'never', reason: 'no' }] },
    });
    const reviewer = { kind: 'user' as const, id: 'bob', role: 'admin' as const, teams: [], groups: [] };
    const refused = transition(request, { type: 'review', reviewer, decision: 'approve' }, 2000);
    expect(refused).toMatchObject({ ok: false, code: 'not-pending' });
  });
});
