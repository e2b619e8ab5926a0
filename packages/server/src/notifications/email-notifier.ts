import {
  type ActionSummary,
  type ApprovalGroup,
  type ApprovalRequest,
  type Role,
  summarizeAction,
} from '@gatehouse/core';
import type { Kysely } from 'kysely';
import type { EventHub, GatehouseEvent } from '../events/event-hub.js';
import type { GatehouseDatabase } from '../storage/database-types.js';
import { claimEmailNotification, recordEmailNotification } from '../storage/email-notifications-dal.js';
import { getRequest } from '../storage/requests-dal.js';
import { composeReviewEmail } from './review-email.js';
import { resolveReviewRecipients } from './review-recipients.js';
import type { Mailer } from './smtp-mailer.js';

/** Emails reviewers when a request needs them. */
export interface EmailNotifier {
  /** Emails the reviewers about one committed event (`request.created`, `request.escalated`); returns how many were sent. */
  notify(event: GatehouseEvent): Promise<number>;
  /** Resolves once every email started so far was sent or failed. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** What the notifier needs. */
export interface EmailNotifierDeps {
  readonly db: Kysely<GatehouseDatabase>;
  readonly events: EventHub;
  readonly mailer: Mailer;
  /** The app's public URL, for the link in each mail. */
  readonly publicUrl: string;
  readonly now: () => number;
  /** The summary to show; the built-in explainer's when not given (the summary worker's `ensure` fits). */
  readonly summaryOf?: (request: ApprovalRequest) => Promise<ActionSummary>;
  /** The active policy's approval groups now (the database's are read at each mail). */
  readonly policyGroups?: () => ReadonlyMap<string, ApprovalGroup>;
  readonly onError?: (error: unknown) => void;
}

const ESCALATION_ROLES: readonly Role[] = ['admin', 'moderator'];

/**
 * Subscribes to the event hub and emails, off the request path, the reviewers who can act on the
 * current stage: on `request.created` (when the request waits for people) and on
 * `request.escalated` (the admin and moderators too, as the escalation names them). One email per
 * recipient, so no reviewer sees who else was asked. Each (event, recipient) is claimed in the
 * database first, so with several nodes on one PostgreSQL each email is sent once; the claim row
 * is also the email log (sent or failed, with the error). Email is best effort: a failure is
 * recorded and reported to `onError`, not retried.
 */
export function createEmailNotifier(deps: EmailNotifierDeps): EmailNotifier {
  const work = new Set<Promise<unknown>>();
  let stopped = false;
  const summaryOf =
    deps.summaryOf ?? ((request: ApprovalRequest) => Promise.resolve(summarizeAction(request)));

  async function notify(event: GatehouseEvent): Promise<number> {
    if (event.type !== 'request.created' && event.type !== 'request.escalated') return 0;
    if (!event.subject.startsWith('request:')) return 0;
    const stored = await getRequest(event.subject.slice('request:'.length), deps.db);
    if (stored === undefined || stored.request.status !== 'pending') return 0;
    const { request } = stored;
    const escalated = event.type === 'request.escalated';
    const notify = event.data.notify;
    const alsoRoles = escalated
      ? ESCALATION_ROLES.filter((role) => !Array.isArray(notify) || notify.includes(role))
      : [];
    const recipients = await resolveReviewRecipients(request, deps.db, {
      alsoRoles,
      ...(deps.policyGroups === undefined ? {} : { policyGroups: deps.policyGroups() }),
    });
    if (recipients.length === 0) return 0;
    const summary = await summaryOf(request).catch(() => summarizeAction(request));
    const email = composeReviewEmail({ request, summary, publicUrl: deps.publicUrl, escalated });
    let sent = 0;
    for (const recipient of recipients) {
      if (!(await claimEmailNotification(event.seq, recipient.id, deps.now(), deps.db))) continue;
      try {
        await deps.mailer.send({ to: recipient.email, ...email });
        await recordEmailNotification(event.seq, recipient.id, { status: 'sent', at: deps.now() }, deps.db);
        sent++;
      } catch (error) {
        const message = error instanceof Error ? error.message : 'the mail could not be sent';
        await recordEmailNotification(
          event.seq,
          recipient.id,
          { status: 'failed', at: deps.now(), error: message },
          deps.db,
        );
        deps.onError?.(error);
      }
    }
    return sent;
  }

  const track = (promise: Promise<unknown>) => {
    const tracked = promise
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => work.delete(tracked));
    work.add(tracked);
  };
  const unsubscribe = deps.events.subscribe((event) => {
    if (!stopped && (event.type === 'request.created' || event.type === 'request.escalated'))
      track(notify(event));
  });

  const idle = async () => {
    while (work.size > 0) await Promise.allSettled([...work]);
  };
  return {
    notify,
    idle,
    async stop() {
      stopped = true;
      unsubscribe();
      await idle();
    },
  };
}
