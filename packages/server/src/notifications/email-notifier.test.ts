import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  lastAudit,
  seedAdmin,
  seedTeam,
  seedUser,
  sessionOf,
} from '../identity/identity-fixtures.test-support.js';
import { createExpiryWorker } from '../requests/expiry-worker.js';
import { listEmailNotifications } from '../storage/email-notifications-dal.js';
import { ENGINES } from '../storage/storage-test-engines.test-support.js';
import { setUserEmail } from '../storage/users-email-dal.js';
import { createEmailNotifier, type EmailNotifier } from './email-notifier.js';
import {
  anAgent,
  type NotificationTestBed,
  openNotificationTestBed,
} from './notification-fixtures.test-support.js';
import { resolveReviewRecipients } from './review-recipients.js';
import { createSmtpMailer, type Mailer } from './smtp-mailer.js';
import { type SmtpTestServer, startSmtpTestServer } from './smtp-test-server.test-support.js';

const POLICY = `
defaults: { decision: allow, expiresIn: 1h, onTimeout: deny, grantTtl: 5m }
groups:
  security: { users: [sam], teams: [sec] }
rules:
  - name: gate-shell
    match: { action: shell.execute }
    require:
      stages:
        - { approvers: { role: moderator }, min: 1 }
  - name: deploys
    match: { action: "deploy.*" }
    require:
      stages:
        - { approvers: { team: $requester.team }, min: 1 }
        - { approvers: { group: security }, min: 1 }
  - name: secrets
    match: { action: secret.read }
    require:
      stages:
        - { approvers: { users: [uma] }, min: 1 }
      onTimeout: escalate
      expiresIn: 10m
`;

const PUBLIC_URL = 'https://gatehouse.example.com';

for (const engine of ENGINES) {
  describe(`email to reviewers (${engine})`, () => {
    let bed: NotificationTestBed;
    let smtp: SmtpTestServer;
    let mailer: Mailer;
    let notifier: EmailNotifier;

    beforeAll(async () => {
      bed = await openNotificationTestBed(engine, POLICY, 1_800_000_000_000);
      const db = bed.storage.db;
      await seedAdmin(db, 'ada');
      await seedUser(db, 'mo', { role: 'moderator' });
      await seedUser(db, 'max', { role: 'moderator' }); // no email address
      await seedUser(db, 'olga', { role: 'moderator' }); // owns the agent: never asked about its requests
      await seedUser(db, 'ian');
      await seedUser(db, 'ivy');
      await seedUser(db, 'sam');
      await seedUser(db, 'sid');
      await seedUser(db, 'uma');
      await seedUser(db, 'walt');
      await seedTeam(db, 'infra', { ian: 'member', ivy: 'maintainer' });
      await seedTeam(db, 'sec', { sid: 'member' });
      for (const id of ['ada', 'mo', 'olga', 'ian', 'ivy', 'sam', 'sid', 'uma', 'walt']) {
        await setUserEmail(id, `${id}@example.com`, db);
      }
      smtp = await startSmtpTestServer();
      mailer = createSmtpMailer({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        from: 'Gatehouse <gatehouse@example.com>',
      });
    });
    beforeEach(() => {
      smtp.mail.length = 0;
      notifier = createEmailNotifier({
        db: bed.storage.db,
        events: bed.events,
        mailer,
        publicUrl: PUBLIC_URL,
        now: () => bed.clock.now,
        policyGroups: () => bed.deps.policies.current().policy.groups,
      });
    });
    afterEach(async () => {
      await notifier.stop();
    });
    afterAll(async () => {
      mailer?.close();
      await smtp?.close();
      await bed?.storage.dispose();
    });

    const recipients = () => smtp.mail.flatMap((m) => m.to).sort();

    it('emails the moderators and the admin about a moderator stage, never the agent’s owner', async () => {
      const bot = anAgent('bot', 'olga', ['infra']);
      const submitted = await bed.service.submit(bot, {
        action: 'shell.execute',
        params: { command: 'sudo rm -rf /srv/cache' },
        reason: 'Routine cleanup, trust me',
      });
      await notifier.idle();
      expect(recipients()).toEqual(['ada@example.com', 'mo@example.com']);
      for (const mail of smtp.mail) {
        expect(mail.to).toHaveLength(1); // one mail per reviewer: nobody sees who else was asked
        expect(mail.from).toBe('gatehouse@example.com');
        expect(mail.subject).toBe('[Gatehouse] approval needed for shell.execute (high risk)');
        expect(mail.text).toContain('Summary: Runs the shell command `sudo rm -rf /srv/cache`.');
        expect(mail.text).toContain('(advisory, built-in explainer)');
        expect(mail.text).toContain('Risk: high (policy: medium)');
        expect(mail.text).toContain('Action: shell.execute');
        expect(mail.text).toContain('Requested by: agent bot, owned by olga');
        expect(mail.text).toContain('recursive-delete: rm -rf /srv/cache');
        // The agent's reason is not the summary's claim: it is not in the mail at all.
        expect(mail.raw).not.toContain('trust me');
      }
      const link = `${PUBLIC_URL}/requests/${submitted.request.id}`;
      const mail = smtp.mail[0];
      // Exactly one link, a plain page address: no token, no query, no action; the same in the HTML.
      expect(mail?.text.match(/https?:\/\/\S+/g)).toEqual([link]);
      expect(mail?.html.match(/href="[^"]*"/g)).toEqual([`href="${link}"`]);
      expect(new URL(link).search).toBe('');
      const created = await lastAudit(bed.storage.db, 'request.created');
      expect(created?.subject).toBe(`request:${submitted.request.id}`);
      const log = await listEmailNotifications(created?.seq ?? 0, bed.storage.db);
      expect(log.map((entry) => [entry.userId, entry.status])).toEqual([
        ['ada', 'sent'],
        ['mo', 'sent'],
      ]);
    });

    it('emails the requester’s team for a team stage, minus the requester; a group stage resolves to its users and teams', async () => {
      const submitted = await bed.service.submit(sessionOf('ian', 'user', ['infra']), {
        action: 'deploy.web',
        params: { version: '2.0' },
      });
      await notifier.idle();
      expect(recipients()).toEqual(['ivy@example.com']);
      // Once ivy approved stage 1, the second stage asks the group: its user and its team's members.
      const ivy = sessionOf('ivy', 'user', ['infra']);
      await bed.service.review(ivy, submitted.request.id, { decision: 'approve' });
      const stored = await bed.service.get(ivy, submitted.request.id);
      const policyGroups = bed.deps.policies.current().policy.groups;
      expect(
        (await resolveReviewRecipients(stored, bed.storage.db, { policyGroups })).map((c) => c.id),
      ).toEqual(['sam', 'sid']);
    });

    it('emails listed users, and on escalation the admin and moderators too', async () => {
      const bot = anAgent('bot', 'olga');
      const submitted = await bed.service.submit(bot, { action: 'secret.read', params: { path: 'kv/app' } });
      await notifier.idle();
      expect(recipients()).toEqual(['uma@example.com']);
      smtp.mail.length = 0;
      bed.clock.now = submitted.request.expiresAt;
      await createExpiryWorker(bed.deps, 'node-a').runDue();
      await notifier.idle();
      expect(recipients()).toEqual(['ada@example.com', 'mo@example.com', 'uma@example.com']);
      expect(smtp.mail[0]?.subject).toBe('[Gatehouse] Escalated: approval needed for secret.read (low risk)');
    });

    it('sends each email once even when two nodes see the same event', async () => {
      const second = createEmailNotifier({
        db: bed.storage.db,
        events: bed.events,
        mailer,
        publicUrl: PUBLIC_URL,
        now: () => bed.clock.now,
      });
      await bed.service.submit(anAgent('bot', 'olga'), {
        action: 'shell.execute',
        params: { command: 'ls' },
      });
      await Promise.all([notifier.idle(), second.idle()]);
      await second.stop();
      expect(recipients()).toEqual(['ada@example.com', 'mo@example.com']);
    });

    it('sends nothing for requests decided at once', async () => {
      await bed.service.submit(anAgent('bot', 'olga'), { action: 'docs.read', params: {} });
      await notifier.idle();
      expect(smtp.mail).toEqual([]);
    });
  });
}
