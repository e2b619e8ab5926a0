import { z } from '@hono/zod-openapi';
import { MAX_POLICY_SOURCE_CHARS } from '../limits.js';
import { IsoTimeSchema, RiskSchema, SourcePositionSchema } from './common-schemas.js';

/** The active policy: its source, version hash, and its rules in order. */
export const ActivePolicySchema = z
  .object({
    version: z.string(),
    source: z.string(),
    rules: z.array(
      z.object({
        name: z.string(),
        position: SourcePositionSchema,
        outcome: z.enum(['allow', 'deny', 'require']),
        match: z.record(z.string(), z.unknown()),
        risk: RiskSchema.optional(),
      }),
    ),
    activatedAt: IsoTimeSchema,
  })
  .openapi('ActivePolicy');

const PolicyVersionSummarySchema = z.object({
  version: z.string(),
  createdAt: IsoTimeSchema,
  createdBy: z.string(),
  active: z.boolean(),
});

/** Every stored version, newest first. */
export const PolicyVersionListSchema = z
  .object({ versions: z.array(PolicyVersionSummarySchema) })
  .openapi('PolicyVersionList');

/** One stored version with its source. */
export const PolicyVersionSchema = PolicyVersionSummarySchema.extend({ source: z.string() }).openapi(
  'PolicyVersion',
);

/** `{ version }` in the path. */
export const PolicyVersionParamSchema = z.object({
  version: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'version', in: 'path' }, example: 'sha256:9f86d0…' }),
});

/** A policy source to apply or lint. */
export const PolicySourceBodySchema = z
  .object({ source: z.string().max(MAX_POLICY_SOURCE_CHARS).openapi({ description: 'Policy YAML' }) })
  .strict()
  .openapi('PolicySourceBody');

/** What lint found. */
export const LintResultSchema = z
  .object({
    valid: z.boolean(),
    errors: z.array(
      z.object({ line: z.number().int(), column: z.number().int(), code: z.string(), message: z.string() }),
    ),
  })
  .openapi('LintResult');
