import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server on 127.0.0.1 (the smtp-server package) for the email tests (imported by
// *.test.ts only): it records each message's envelope and headers, and its decoded text part.

/** One message the server accepted. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly raw: string;
}

/** A running server: its port, the mail it received, and how to stop it. */
export interface SmtpTestServer {
  readonly port: number;
  readonly mail: ReceivedMail[];
  /** Resolves once `count` messages have arrived in all. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server on an ephemeral loopback port (no TLS, no auth: a test mail sink). */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const mail: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const sender = session.envelope.mailFrom;
        mail.push({
          from: sender === false ? '' : sender.address,
          to: session.envelope.rcptTo.map((address) => address.address),
          subject: header(raw, 'Subject'),
          text: part(raw, 'text/plain'),
          html: part(raw, 'text/html'),
          raw,
        });
        for (const waiter of waiters.filter((w) => mail.length >= w.count)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mail,
    waitFor: (count) =>
      mail.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const match = new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'mi').exec(head);
  return (match?.[1] ?? '').replace(/\r?\n[ \t]/g, ' ');
}

/** The decoded body of the first MIME part of `type` (quoted-printable or 7bit, as nodemailer writes them). */
function part(raw: string, type: string): string {
  const at = raw.indexOf(`Content-Type: ${type}`);
  if (at < 0) return '';
  const rest = raw.slice(at);
  const headEnd = rest.search(/\r?\n\r?\n/);
  const headers = rest.slice(0, headEnd);
  const body =
    rest
      .slice(headEnd)
      .replace(/^\r?\n\r?\n/, '')
      .split(/\r?\n--/)[0] ?? '';
  if (!/quoted-printable/i.test(headers)) return body.replace(/\r\n/g, '\n');
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
