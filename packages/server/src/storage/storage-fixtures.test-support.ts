import type { ApprovalRequest } from '@gatehouse/core';
import type { NewUser } from './users-dal.js';

// Builders for the storage suite (imported by *.test.ts only).

let counter = 0;

/** A unique id with a readable prefix, e.g. `req-17`. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A user with unique id and username. */
export function aUser(overrides: Partial<NewUser> = {}): NewUser {
  const id = overrides.id ?? uid('user');
  return { id, username: id, displayName: `User ${id}`, role: 'user', createdAt: 1_000, ...overrides };
}

/** A pending request with a one-stage requirement; override any field. */
export function aRequest(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const createdAt = overrides.createdAt ?? 1_000_000;
  return {
    v: 1,
    id: uid('req'),
    action: 'shell.execute',
    params: { command: 'git push' },
    context: { environment: 'prod', reason: 'ship it' },
    payloadHash: 'a'.repeat(64),
    requester: { kind: 'agent', id: 'ci-bot', teams: ['infra'], owner: 'alice' },
    onBehalfOf: 'alice',
    policyVersion: 'policy-v1',
    rules: ['prod-deploys'],
    requirement: {
      stages: [
        {
          name: 'prod-deploys#1',
          rule: 'prod-deploys',
          approvers: [{ kind: 'role', role: 'moderator' }],
          min: 1,
          denyMin: 1,
        },
      ],
      expiresIn: 3_600_000,
      onTimeout: 'deny',
      grantTtl: 600_000,
      selfApproval: false,
    },
    groups: {},
    requesterTeam: 'infra',
    risk: 'high',
    status: 'pending',
    stageIndex: 0,
    reviews: [],
    createdAt,
    expiresAt: createdAt + 3_600_000,
    escalated: false,
    ...overrides,
  };
}
