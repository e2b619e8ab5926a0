import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../src/storage/storage-test-engines.test-support.js';
import { createSecurityWorld, type Reply, type SecurityWorld } from './security-world.test-support.js';

// Other spellings of a gated action (issue 8, item 1; ADR 0006), sent as an attacker would: an
// agent with its own token, over HTTP, on both engines, under the README's seed policy (allow by
// default; `proxmox.vm.delete` waits for the admin). Each spelling is refused 400 naming
// `action` (and the canonical form when there is one), audited as `request.action.refused`, and
// stores no request. Before ADR 0006, `PROXMOX.VM.DELETE` was allowed at once with a grant.

const SEED_POLICY = `approvalPolicies:
  - action: shell.execute
    requireApproval: true
  - action: plugin.install.community
    requireModeratorApproval: true
  - action: proxmox.vm.delete
    requireAdminApproval: true
`;

/** Spellings that stand for `proxmox.vm.delete`, and the canonical form the refusal names. */
const VARIANTS: readonly (readonly [string, string, string | undefined])[] = [
  ['upper case', 'PROXMOX.VM.DELETE', 'proxmox.vm.delete'],
  ['mixed case', 'Proxmox.Vm.Delete', 'proxmox.vm.delete'],
  ['trailing space', 'proxmox.vm.delete ', 'proxmox.vm.delete'],
  ['leading tab', '\tproxmox.vm.delete', 'proxmox.vm.delete'],
  ['inner space', 'proxmox.vm .delete', 'proxmox.vm.delete'],
  ['zero-width space', 'proxmox.vm.de\u200Blete', 'proxmox.vm.delete'],
  ['soft hyphen', 'prox\u00ADmox.vm.delete', 'proxmox.vm.delete'],
  ['full-width letters', '\uFF50\uFF52\uFF4F\uFF58\uFF4D\uFF4F\uFF58.vm.delete', 'proxmox.vm.delete'],
  ['Kelvin sign for k', 'proxmox.vm.\u212Aill', 'proxmox.vm.kill'],
  ['Cyrillic o (confusable)', 'proxm\u043Ex.vm.delete', undefined],
  ['Greek omicron (confusable)', 'pr\u03BFxmox.vm.delete', undefined],
  ['dotless i', 'proxmox.vm.\u0131nfo', undefined],
];

for (const engine of ENGINES) {
  describe(`action name attacks (${engine})`, () => {
    let w: SecurityWorld;
    beforeAll(async () => {
      w = await createSecurityWorld(engine, SEED_POLICY);
    });
    afterAll(async () => {
      await w?.dispose();
    });

    const requestCount = async () =>
      Number(
        (
          await w.t.storage.db
            .selectFrom('requests')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );

    const expectActionRefused = (reply: Reply, canonical: string | undefined) => {
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.status).toBe(400);
      expect(reply.body.errors.map((issue: { field: string }) => issue.field)).toEqual(['action']);
      if (canonical !== undefined) expect(reply.body.detail).toContain(JSON.stringify(canonical));
    };

    for (const [name, spelling, canonical] of VARIANTS) {
      it(`a ${name} spelling of a gated action is refused 400, audited, and stores nothing`, async () => {
        const [mark, before] = [await w.auditHead(), await requestCount()];
        const reply = await w.send('POST', '/v1/requests', {
          as: 'ci-bot',
          body: { action: spelling, params: { vmId: 101 } },
        });
        expectActionRefused(reply, canonical);
        expect(reply.body.grantToken).toBeUndefined();
        expect(await w.auditSince(mark)).toEqual([
          expect.objectContaining({
            type: 'request.action.refused',
            actor: 'agent:ci-bot',
            data: expect.objectContaining({ action: spelling }),
          }),
        ]);
        expect(await requestCount()).toBe(before);
      });
    }

    it('the canonical spelling waits for the admin, as the seed policy says', async () => {
      const { body } = await w.submit('ci-bot', { action: 'proxmox.vm.delete', params: { vmId: 101 } });
      expect(body.request.status).toBe('pending');
      expect(body.grantToken).toBeUndefined();
    });

    it('a dry run (/v1/evaluate) of another spelling is refused the same way', async () => {
      const reply = await w.send('POST', '/v1/evaluate', {
        as: 'ci-bot',
        body: { action: 'PROXMOX.VM.DELETE', params: {} },
      });
      expectActionRefused(reply, 'proxmox.vm.delete');
    });
  });
}
