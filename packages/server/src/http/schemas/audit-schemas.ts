import { z } from '@hono/zod-openapi';

/** One audit record, exactly as hashed into the chain (times in ms since the epoch). */
export const AuditRecordSchema = z
  .object({
    v: z.number().int(),
    seq: z.number().int(),
    at: z.number().int().openapi({ description: 'Milliseconds since the epoch' }),
    type: z.string().openapi({ example: 'request.approved' }),
    actor: z.string().openapi({ example: 'user:alice' }),
    subject: z.string().openapi({ example: 'request:5b1c…' }),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditRecord');

/** Audit log filters. */
export const AuditQuerySchema = z
  .object({
    fromSeq: z.coerce.number().int().min(1).optional(),
    subject: z.string().max(512).optional(),
    type: z.string().max(128).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** A page of the audit log. */
export const AuditPageSchema = z
  .object({
    records: z.array(AuditRecordSchema),
    nextSeq: z.number().int().optional().openapi({ description: 'Pass as `fromSeq` for the next page' }),
  })
  .openapi('AuditPage');

/** Where an export starts. */
export const AuditExportQuerySchema = z
  .object({ fromSeq: z.coerce.number().int().min(1).optional() })
  .strict();

const AuditHeadSchema = z.object({ seq: z.number().int().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) });

/** What to verify against: optionally, the head as last seen from outside the database. */
export const AuditVerifyBodySchema = z
  .object({
    expectedHead: AuditHeadSchema.strict()
      .optional()
      .openapi({ description: 'Catches records cut off after the latest checkpoint' }),
  })
  .strict()
  .openapi('AuditVerifyBody');

/** The core's `AuditVerification`. */
export const AuditVerificationSchema = z
  .object({
    ok: z.boolean(),
    count: z.number().int(),
    head: z.object({ seq: z.number().int(), hash: z.string() }).optional(),
    checkpointsVerified: z.number().int().optional(),
    firstBad: z
      .object({ seq: z.number().int(), index: z.number().int(), problem: z.string(), message: z.string() })
      .optional(),
  })
  .openapi('AuditVerification');
