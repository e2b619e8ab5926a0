import type { AuditRecord } from '@gatehouse/core';
import { describe, expect, it } from 'vitest';
import { createEventHub } from './event-hub.js';
import { followReadModels } from './read-model-follower.js';

function event(seq: number, type: string): AuditRecord {
  return { v: 1, seq, at: seq, type, actor: 'user:admin', subject: 'x', data: {}, prevHash: '', hash: '' };
}

describe('followReadModels', () => {
  it('reloads the policy on policy.applied and the keys on key events, and nothing on other events', async () => {
    const hub = createEventHub();
    const reloads: string[] = [];
    const stop = followReadModels(hub, {
      reloadPolicy: async () => reloads.push('policy'),
      reloadKeys: async () => reloads.push('keys'),
      onError: () => {},
    });
    hub.publish([
      event(1, 'policy.applied'),
      event(2, 'group.member.removed'),
      event(3, 'signing-key.rotated'),
      event(4, 'signing-key.created'),
    ]);
    expect(reloads).toEqual(['policy', 'keys', 'keys']);
    stop();
    hub.publish([event(5, 'policy.applied')]);
    expect(reloads).toHaveLength(3);
  });

  it('reports a failed reload and keeps following', async () => {
    const hub = createEventHub();
    const errors: unknown[] = [];
    let calls = 0;
    followReadModels(hub, {
      reloadPolicy: async () => {
        calls++;
        throw new Error('database gone');
      },
      reloadKeys: async () => {},
      onError: (error) => errors.push(error),
    });
    hub.publish([event(1, 'policy.applied')]);
    await new Promise((resolve) => setImmediate(resolve));
    hub.publish([event(2, 'policy.applied')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
