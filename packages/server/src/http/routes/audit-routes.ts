import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { exportAuditJsonl } from '../../audit/audit-export.js';
import { verifyStoredAudit } from '../../audit/audit-verify-service.js';
import { loadStoredKeysVerifier } from '../../grants/signing-key-service.js';
import { type AuditEventRecord, streamAuditEvents } from '../../storage/audit-dal.js';
import type { Executor } from '../../storage/transaction.js';
import { requireAudience } from '../access-guard.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import {
  AuditExportQuerySchema,
  AuditPageSchema,
  AuditQuerySchema,
  AuditVerificationSchema,
  AuditVerifyBodySchema,
} from '../schemas/audit-schemas.js';
import { AUTHENTICATED, bodyOf, json, problems, untypedResponse } from '../schemas/common-schemas.js';

/** Rows one page may scan for its filter before handing back a `nextSeq` to continue from. */
export const AUDIT_SCAN_LIMIT = 10_000;

const DEFAULT_PAGE = 100;

const listRoute = createRoute({
  method: 'get',
  path: '/v1/audit',
  tags: ['audit'],
  summary: 'Read the audit log in order (the admin and moderators)',
  security: AUTHENTICATED,
  request: { query: AuditQuerySchema },
  responses: { 200: json(AuditPageSchema, 'A page of records'), ...problems(400, 401, 403) },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/v1/audit/export',
  tags: ['audit'],
  summary: 'Export the audit log as JSON Lines, verifiable offline (the admin)',
  security: AUTHENTICATED,
  request: { query: AuditExportQuerySchema },
  responses: {
    200: {
      description: 'One record per line, exactly as hashed',
      content: { 'application/x-ndjson': { schema: z.string() } },
    },
    ...problems(400, 401, 403),
  },
});

const verifyRoute = createRoute({
  method: 'post',
  path: '/v1/audit/verify',
  tags: ['audit'],
  summary: 'Verify the stored hash chain and its signed checkpoints (the admin and moderators)',
  security: AUTHENTICATED,
  request: {
    body: { required: false, content: { 'application/json': { schema: AuditVerifyBodySchema } } },
  },
  responses: { 200: json(AuditVerificationSchema, 'The verdict'), ...problems(400, 401, 403, 413, 415) },
});

interface AuditFilter {
  readonly fromSeq?: number;
  readonly subject?: string;
  readonly type?: string;
  readonly limit?: number;
}

/**
 * A page of records matching the filter, in `seq` order. A page ends after `limit` matches or
 * `AUDIT_SCAN_LIMIT` rows scanned, whichever comes first; `nextSeq` continues where it ended.
 */
export async function readAuditPage(
  filter: AuditFilter,
  db: Executor,
): Promise<{ records: AuditEventRecord[]; nextSeq?: number }> {
  const limit = filter.limit ?? DEFAULT_PAGE;
  const records: AuditEventRecord[] = [];
  let scanned = 0;
  for await (const record of streamAuditEvents(filter.fromSeq ?? 1, Math.min(1_000, limit * 4), db)) {
    if (records.length >= limit || scanned >= AUDIT_SCAN_LIMIT) return { records, nextSeq: record.seq };
    scanned += 1;
    if (filter.subject !== undefined && record.subject !== filter.subject) continue;
    if (filter.type !== undefined && record.type !== filter.type) continue;
    records.push(record);
  }
  return { records };
}

/** Read, export and verify the audit log. */
export function registerAuditRoutes(app: OpenAPIHono<HttpEnv>, context: HttpContext): void {
  app.openapi(listRoute, async (c) => {
    await requireAudience(context, c.get('principal'), 'staff', { name: 'audit.read', subject: 'audit' });
    const page = await readAuditPage(c.req.valid('query'), context.db);
    return c.json(bodyOf(AuditPageSchema, page), 200);
  });

  app.openapi(exportRoute, async (c) => {
    await requireAudience(context, c.get('principal'), 'admin', { name: 'audit.export', subject: 'audit' });
    const { fromSeq } = c.req.valid('query');
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    exportAuditJsonl(
      context.db,
      (line) => writer.write(encoder.encode(line)),
      fromSeq === undefined ? {} : { fromSeq },
    )
      .then(() => writer.close())
      .catch((error: unknown) => {
        // Abort rather than close: a cut-off export must not look complete to the client.
        context.logger.warn({ err: error, path: c.req.path }, 'audit export ended early');
        return writer.abort(error).catch(() => {});
      });
    return untypedResponse(
      c.body(readable, 200, {
        'Content-Type': 'application/x-ndjson',
        'Content-Disposition': 'attachment; filename="gatehouse-audit.jsonl"',
      }),
    );
  });

  app.openapi(verifyRoute, async (c) => {
    await requireAudience(context, c.get('principal'), 'staff', { name: 'audit.verify', subject: 'audit' });
    const { expectedHead } = c.req.valid('json');
    const verdict = await verifyStoredAudit(
      context.db,
      await loadStoredKeysVerifier(context.db),
      expectedHead === undefined ? {} : { expectedHead },
    );
    return c.json(bodyOf(AuditVerificationSchema, verdict), 200);
  });
}
