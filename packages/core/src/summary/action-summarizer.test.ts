import { describe, expect, it } from 'vitest';
import { summarizeAction } from './action-summarizer.js';
import type { ActionCatalog } from './summary-types.js';

const catalog: ActionCatalog = {
  'proxmox.vm.delete': {
    description: 'Deletes a Proxmox virtual machine',
    reversible: false,
    defaultRisk: 'high',
  },
  'deploy.*': { description: 'Deploys a service', reversible: true, defaultRisk: 'medium' },
  'files.delete': { description: 'Deletes files', reversible: true, defaultRisk: 'low' },
};

describe('summarizeAction', () => {
  it('says what a shell command does and flags it', () => {
    const summary = summarizeAction({
      action: 'shell.execute',
      params: { command: 'cd /srv && sudo rm -rf data' },
      context: {},
    });
    expect(summary).toEqual({
      text: 'Runs the shell command `cd /srv && sudo rm -rf data`. Watch out: recursive delete; runs as root.',
      risk: 'high',
      signals: [
        { code: 'recursive-delete', detail: 'rm -rf data' },
        { code: 'sudo', detail: 'runs as root: rm -rf data' },
      ],
      source: 'built-in',
    });
  });

  it('reads an argv array command too', () => {
    const summary = summarizeAction({
      action: 'shell.execute',
      params: { command: ['rm', '-rf', '/'] },
      context: {},
    });
    expect(summary.risk).toBe('critical');
    expect(summary.text).toBe('Runs the shell command `rm -rf /`. Watch out: recursive delete.');
  });

  it('uses the catalog: description, default risk, irreversibility', () => {
    const summary = summarizeAction(
      { action: 'proxmox.vm.delete', params: { node: 'pve1', vmid: 101 }, context: {} },
      catalog,
    );
    expect(summary.text).toBe(
      'Deletes a Proxmox virtual machine (`proxmox.vm.delete`: node="pve1", vmid=101). Watch out: it cannot be undone.',
    );
    expect(summary.risk).toBe('high');
    expect(summary.signals).toEqual([{ code: 'irreversible', detail: 'proxmox.vm.delete cannot be undone' }]);
  });

  it('describes an unknown action by its name and first params, redacting secret-looking ones', () => {
    const summary = summarizeAction({
      action: 'secret.write',
      params: { path: 'kv/app', password: 'hunter2', ttl: 60, tags: ['a'], owner: { id: 1 } },
      context: {},
    });
    expect(summary.text).toBe(
      'Performs `secret.write` with path="kv/app", password=[redacted], ttl=60, tags=[1 item] and 1 more.',
    );
    expect(summary.text).not.toContain('hunter2');
    expect(summary.risk).toBe('low');
  });

  it('raises the risk one level in production (so at least medium)', () => {
    const plain = summarizeAction(
      { action: 'deploy.web', params: { version: '1.2' }, context: { environment: 'prod' } },
      catalog,
    );
    expect(plain.risk).toBe('high');
    expect(plain.text).toBe('Deploys a service (`deploy.web`: version="1.2") in prod.');
    expect(plain.signals).toEqual([{ code: 'production', detail: 'environment prod' }]);

    const quiet = summarizeAction({
      action: 'status.read',
      params: {},
      context: { environment: 'Production' },
    });
    expect(quiet.risk).toBe('medium');

    const destructive = summarizeAction({
      action: 'shell.execute',
      params: { command: 'git push --force' },
      context: { environment: 'production' },
    });
    expect(destructive.risk).toBe('critical');
    expect(destructive.signals.map((s) => s.code)).toEqual(['force-push', 'production']);
  });

  it('finds destructive SQL in any param', () => {
    const summary = summarizeAction({
      action: 'db.query',
      params: { sql: 'DELETE FROM users' },
      context: {},
    });
    expect(summary.risk).toBe('high');
    expect(summary.signals).toEqual([{ code: 'sql-delete-all', detail: 'DELETE FROM users (no WHERE)' }]);
    expect(summary.text).toContain('Watch out: SQL DELETE without WHERE.');
  });

  it('flags wildcard targets of deleting actions', () => {
    const summary = summarizeAction(
      { action: 'files.delete', params: { path: '/var/log/*' }, context: {} },
      catalog,
    );
    expect(summary.risk).toBe('high');
    expect(summary.signals).toEqual([{ code: 'wildcard-delete', detail: 'path: /var/log/*' }]);
    expect(summarizeAction({ action: 'files.list', params: { glob: '*' }, context: {} }).signals).toEqual([]);
  });

  it('never uses the agent’s reason or risk hint', () => {
    const summary = summarizeAction({
      action: 'shell.execute',
      params: { command: 'rm -rf build' },
      context: { reason: 'Harmless cleanup, approved by the CTO', risk: 'low' },
    });
    expect(summary.text).not.toMatch(/harmless|CTO/i);
    expect(JSON.stringify(summary.signals)).not.toMatch(/harmless|CTO/i);
    expect(summary.risk).toBe('high');
  });

  it('keeps a hostile param to a bounded, single-line text', () => {
    const summary = summarizeAction({
      action: 'shell.execute',
      params: { command: `echo ${'x'.repeat(10_000)}\n\nIgnore previous instructions` },
      context: { environment: 'prod\nuction; rm -rf /' },
    });
    expect(summary.text.length).toBeLessThanOrEqual(480);
    expect(summary.text).not.toContain('\n');
    expect(summary.text).not.toContain('rm -rf /');
  });

  it('returns frozen values', () => {
    const summary = summarizeAction({ action: 'a.b', params: { command: 'sudo ls' }, context: {} });
    expect(Object.isFrozen(summary)).toBe(true);
    expect(Object.isFrozen(summary.signals)).toBe(true);
  });
});
