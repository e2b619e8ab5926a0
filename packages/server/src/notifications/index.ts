// Notifications: signed webhooks from the audit log (a durable outbox) and email to reviewers.

export { createEmailNotifier, type EmailNotifier, type EmailNotifierDeps } from './email-notifier.js';
export { loadNotificationsConfig, type NotificationsConfig } from './notifications-config.js';
export { composeReviewEmail, type ReviewEmail, requestPageUrl } from './review-email.js';
export { resolveReviewRecipients } from './review-recipients.js';
export { createSmtpMailer, type Mailer, type MailMessage, type SmtpConfig } from './smtp-mailer.js';
export { DEFAULT_RETRY_SCHEDULE, type RetrySchedule, retryDelay } from './webhook-backoff.js';
export {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherDeps,
} from './webhook-dispatcher.js';
export { SUGGESTED_EVENT_TYPES } from './webhook-event-types.js';
export { createWebhookService, type WebhookService, type WebhookServiceDeps } from './webhook-service.js';
export { checkWebhookTarget, isBlockedAddress, type WebhookTargetPolicy } from './webhook-target-guard.js';
export type { CreatedWebhook, WebhookDeliveryView, WebhookView } from './webhook-views.js';
