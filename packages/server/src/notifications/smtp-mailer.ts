import nodemailer from 'nodemailer';

/** How to reach the SMTP server, and who mail comes from. */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the start (port 465); otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean;
  readonly user?: string;
  /** Never logged, never put in errors. */
  readonly pass?: string;
  /** `Gatehouse <gatehouse@example.com>`. */
  readonly from: string;
  /** Fail unless the connection is upgraded with STARTTLS (for servers that must not see mail in clear). */
  readonly requireTls?: boolean;
}

/** One message to one recipient. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Sends mail; nodemailer's SMTP transport in production. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * A mailer over SMTP with nodemailer: pooled connections, bounded waits, credentials from the
 * config only. Errors are re-thrown with nodemailer's code alone, never its full text.
 */
export function createSmtpMailer(config: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls ?? false,
    pool: true,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(config.user === undefined ? {} : { auth: { user: config.user, pass: config.pass ?? '' } }),
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: config.from, ...message });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new Error(
          `the SMTP server did not accept the mail (${typeof code === 'string' ? code : 'error'})`,
          {
            cause: error,
          },
        );
      }
    },
    close: () => transport.close(),
  };
}
