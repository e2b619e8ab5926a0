import { describe, expect, it } from 'vitest';
import { UnsupportedVersionError } from '../errors.js';
import {
  AGENT_BOT,
  applyAll,
  consume,
  expectOk,
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
import { transition } from './approval-state-machine.js';
import type { ApprovalRequest, RefusalCode, RequestEvent } from './approval-types.js';

const ROOT = user('root', 'admin');
const overridable = { override: { by: ['admin' as const], justificationRequired: false } };

/** Every kind of event, with the refusal a decided request answers it with. */
const EVERY_EVENT: readonly [RequestEvent, RefusalCode][] = [
  [vote(ROOT), 'not-pending'],
  [{ type: 'cancel', by: AGENT_BOT }, 'not-pending'],
  [{ type: 'override', by: ROOT, justification: 'now' }, 'not-pending'],
  [{ type: 'timeout' }, 'not-pending'],
  [{ type: 'issue-grant', jti: 'g1', ttl: HOUR }, 'not-approved'],
  [consume('g1', PAYLOAD_HASH), 'not-approved'],
  [{ type: 'report-outcome', by: AGENT_BOT, result: 'succeeded' }, 'not-consumed'],
];

function terminal(): Record<string, ApprovalRequest> {
  const request = requestWith([MODERATOR_STAGE], overridable);
  return {
    denied: applyAll(request, [vote(MAYA, 'deny', 'no')]),
    expired: applyAll(request, [{ type: 'timeout' }], request.expiresAt),
    cancelled: applyAll(request, [{ type: 'cancel', by: AGENT_BOT }]),
  };
}

describe('transition: terminal states', () => {
  for (const [status, request] of Object.entries(terminal())) {
    it(`a ${status} request accepts nothing and stays exactly as it was`, () => {
      expect(request.status).toBe(status);
      const before = structuredClone(request);
      for (const [event, code] of EVERY_EVENT) {
        refusalDraft(transition(request, event, T0 + 1), code);
      }
      expect(request).toEqual(before);
    });
  }

  it('an approved request never changes status again', () => {
    const approved = applyAll(requestWith([MODERATOR_STAGE], overridable), [vote(MAYA)]);
    for (const [event] of EVERY_EVENT.slice(0, 4)) {
      const draft = refusalDraft(transition(approved, event, approved.expiresAt + 1), 'not-pending');
      expect(draft.data.status).toBe('approved');
    }
    const granted = expectOk(transition(approved, { type: 'issue-grant', jti: 'g1', ttl: HOUR }, T0));
    expect(granted.status).toBe('approved');
  });
});

describe('transition: versions', () => {
  it('throws UnsupportedVersionError for a request of another version, before any rule', () => {
    const future = { ...requestWith([MODERATOR_STAGE]), v: 2 } as unknown as ApprovalRequest;
    expect(() => transition(future, { type: 'timeout' }, T0)).toThrow(UnsupportedVersionError);
    expect(() => transition(future, { type: 'timeout' }, T0)).toThrow(/approval request version 2/);
  });

  it('reads version 1', () => {
    expect(transition(requestWith([MODERATOR_STAGE]), vote(MAYA), T0).ok).toBe(true);
  });
});
