import { describe, expect, it } from 'vitest';
import type { RequestView } from '../api/api-types.js';
import { describeAction, shellCommandOf, summarizeRequest } from './request-summary.js';

const base: RequestView = {
  id: 'r1',
  status: 'pending',
  verified: {
    requester: { kind: 'agent', id: 'ci-bot', owner: 'alice', teams: [] },
    policyVersion: 'sha256:x',
    rules: ['force-push'],
  },
  bound: { action: 'shell.execute', params: { command: 'git push --force' }, context: {}, payloadHash: 'h' },
  claimed: { reason: 'ship it', context: {} },
  risk: 'high',
  createdAt: '2026-11-24T09:00:00Z',
  expiresAt: '2026-11-24T10:00:00Z',
  escalated: false,
  stages: [],
  reviews: [],
  viewer: { canReview: true },
};

describe('summarizeRequest', () => {
  it('says who wants to run which command and which rule holds it', () => {
    expect(summarizeRequest(base)).toBe(
      'Agent ci-bot (owned by alice) wants to run the shell command “git push --force”. Rule force-push requires approval.',
    );
  });

  it('never repeats the agent’s claimed reason as fact', () => {
    expect(summarizeRequest(base)).not.toContain('ship it');
  });

  it('prefers the server’s summary', () => {
    const summary = { text: 'Force-push to main', risk: 'high', signals: [], source: 'built-in' } as const;
    expect(summarizeRequest({ ...base, summary })).toBe('Force-push to main');
    expect(summarizeRequest({ ...base, summary: { ...summary, text: ' ' } })).toContain('wants to run');
  });

  it('describes other actions from their name and params', () => {
    expect(describeAction({ action: 'proxmox.vm.delete', params: { vmid: 104, node: 'pve1' } })).toBe(
      'delete proxmox vm “104” on pve1',
    );
    const deploy = summarizeRequest({
      ...base,
      verified: { requester: { kind: 'user', id: 'bob', teams: [] }, policyVersion: 'sha256:x', rules: [] },
      bound: {
        action: 'deploy.production',
        params: { service: 'billing' },
        context: { environment: 'prod' },
        payloadHash: 'h',
      },
      status: 'approved',
    });
    expect(deploy).toBe(
      'User bob wants to deploy “billing” to production in prod. No rule named it; the policy default decided.',
    );
  });

  it('names the verb wherever it sits in the action', () => {
    expect(describeAction({ action: 'plugin.install.community', params: { name: 'foo' } })).toBe(
      'install community plugin “foo”',
    );
    expect(describeAction({ action: 'backup.snapshot', params: {} })).toBe('perform backup.snapshot');
  });

  it('reads argv when there is no command string', () => {
    expect(shellCommandOf({ params: { argv: ['ls', '-la'] } })).toBe('ls -la');
    expect(shellCommandOf({ params: { argv: ['ls', 3] } })).toBeUndefined();
  });
});
