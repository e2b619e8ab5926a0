import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { AuditEventRecord } from '../storage/audit-dal.js';
import { streamAuditEvents } from '../storage/audit-dal.js';
import type { Executor } from '../storage/transaction.js';
import type { GrantToSign } from './grant-token.js';

// Builders for the grant and audit suites (imported by *.test.ts only).

/** The audience the tests' executors accept. */
export const AUDIENCE = 'deployer';

/** A grant issued at `issuedAt` for ten minutes; override any field. */
export function aGrant(overrides: Partial<GrantToSign> = {}): GrantToSign {
  const issuedAt = overrides.issuedAt ?? 1_800_000_000_000;
  return {
    issuer: 'https://gatehouse.example',
    audience: AUDIENCE,
    requestId: 'req-42',
    jti: 'grant-42',
    action: 'deploy.production',
    payloadHash: 'ab'.repeat(32),
    issuedAt,
    expiresAt: issuedAt + 600_000,
    ...overrides,
  };
}

/** base64url of a JSON value, as a JWS segment. */
export function segment(json: unknown): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

/** The three parts of a compact JWS. */
export function partsOf(token: string): [string, string, string] {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return [header, payload, signature];
}

/** The decoded JSON of a segment. */
export function decoded(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A token an attacker builds: any header and payload, signed by `signWith` over the signing input. */
export function forgeToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signWith: (input: string) => string,
): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${signWith(input)}`;
}

/** An Ed25519 signature by `key` over `input`, base64url. */
export function ed25519(key: KeyObject): (input: string) => string {
  return (input) => sign(null, Buffer.from(input), key).toString('base64url');
}

/** A fresh Ed25519 key pair that is not Gatehouse's. */
export function foreignKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

/** Every audit event, in order. */
export async function auditEvents(db: Executor): Promise<AuditEventRecord[]> {
  const events: AuditEventRecord[] = [];
  for await (const event of streamAuditEvents(1, 500, db)) events.push(event);
  return events;
}

/** The audit events of one type, in order. */
export async function auditEventsOfType(db: Executor, type: string): Promise<AuditEventRecord[]> {
  return (await auditEvents(db)).filter((event) => event.type === type);
}
