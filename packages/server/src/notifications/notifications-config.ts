import { ConfigError } from '../config/server-config.js';
import type { SmtpConfig } from './smtp-mailer.js';
import type { WebhookTargetPolicy } from './webhook-target-guard.js';

/** Webhook target rules and, when configured, the SMTP server for reviewer email. */
export interface NotificationsConfig {
  readonly webhooks: WebhookTargetPolicy;
  /** Absent: no email is sent. */
  readonly smtp?: SmtpConfig;
}

/**
 * Reads the notification settings from the environment:
 * `GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE` (true/false, default false), `GATEHOUSE_WEBHOOKS_ALLOWED_HOSTS`
 * (comma-separated host names), and `GATEHOUSE_SMTP_HOST`, `_PORT` (default 587, or 465 when
 * secure), `_SECURE`, `_USER`, `_PASS`, `_FROM` (required with a host), `_REQUIRE_TLS`.
 */
export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const allowedHosts = (env.GATEHOUSE_WEBHOOKS_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== '');
  const webhooks: WebhookTargetPolicy = Object.freeze({
    allowPrivateTargets: flag(env, 'GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE', false),
    ...(allowedHosts.length === 0 ? {} : { allowedHosts: Object.freeze(allowedHosts) }),
  });
  const host = env.GATEHOUSE_SMTP_HOST?.trim();
  if (host === undefined || host === '') return Object.freeze({ webhooks });
  const secure = flag(env, 'GATEHOUSE_SMTP_SECURE', false);
  const port = Number(env.GATEHOUSE_SMTP_PORT ?? (secure ? 465 : 587));
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigError('GATEHOUSE_SMTP_PORT', 'expected a port number 1-65535');
  }
  const from = env.GATEHOUSE_SMTP_FROM?.trim();
  if (from === undefined || from === '') {
    throw new ConfigError(
      'GATEHOUSE_SMTP_FROM',
      'required with GATEHOUSE_SMTP_HOST (e.g. Gatehouse <gatehouse@example.com>)',
    );
  }
  const user = env.GATEHOUSE_SMTP_USER || undefined;
  const pass = env.GATEHOUSE_SMTP_PASS || undefined;
  const smtp: SmtpConfig = Object.freeze({
    host,
    port,
    secure,
    from,
    requireTls: flag(env, 'GATEHOUSE_SMTP_REQUIRE_TLS', false),
    ...(user === undefined ? {} : { user }),
    ...(pass === undefined ? {} : { pass }),
  });
  return Object.freeze({ webhooks, smtp });
}

function flag(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const value = env[key]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1' || value === 'yes') return true;
  if (value === 'false' || value === '0' || value === 'no') return false;
  throw new ConfigError(key, 'expected true or false');
}
