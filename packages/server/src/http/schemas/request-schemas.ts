import { SHELL_ACTION, shellPayloadProblem } from '@gatehouse/core';
import { z } from '@hono/zod-openapi';
import { MAX_IDEMPOTENCY_KEY_CHARS } from '../limits.js';
import { AuditRecordSchema } from './audit-schemas.js';
import {
  ActionNameSchema,
  BoundedObjectSchema,
  IdSchema,
  IsoTimeSchema,
  RiskSchema,
  SourcePositionSchema,
  TextSchema,
} from './common-schemas.js';

/** The states of a request. */
export const RequestStatusSchema = z.enum(['pending', 'approved', 'denied', 'expired', 'cancelled']);

const StageViewSchema = z
  .object({
    index: z.number().int(),
    name: z.string(),
    rule: z.string(),
    min: z.number().int(),
    approvers: z.array(z.string()),
    approvedBy: z.array(z.string()),
    deniedBy: z.array(z.string()),
    state: z.enum(['done', 'current', 'waiting']),
    remaining: z.number().int(),
  })
  .openapi('StageView');

const VerifiedFactsSchema = z
  .object({
    requester: z.object({
      kind: z.enum(['user', 'agent']),
      id: z.string(),
      role: z.string().optional(),
      owner: z.string().optional(),
      teams: z.array(z.string()),
    }),
    onBehalfOf: z
      .object({
        user: z.string(),
        basis: z.enum(['self', 'acts-for']),
        active: z
          .boolean()
          .optional()
          .openapi({ description: 'Whether that user is enabled now (detail only)' }),
      })
      .optional()
      .openapi({
        description: 'Checked at submission: the user themselves, or a user on the agent’s actsFor',
      }),
    team: z.string().optional().openapi({ description: 'The request’s team, one of the requester’s' }),
    policyVersion: z.string(),
    rules: z.array(z.string()),
  })
  .openapi('VerifiedFacts', {
    description: 'Identity and directory facts Gatehouse established itself, and the policy that judged them',
  });

const BoundFieldsSchema = z
  .object({
    action: z.string(),
    params: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()).openapi({
      description: 'Only the context fields the payload hash covers (environment, team, workflow, runId)',
    }),
    onBehalfOf: z.string().optional(),
    payloadHash: z.string(),
  })
  .openapi('BoundFields', {
    description: 'What the payload hash covers: the grant holds the executor to exactly this',
  });

const ClaimedFieldsSchema = z
  .object({
    reason: z.string().optional(),
    risk: z.string().optional().openapi({ description: 'The agent’s own risk hint' }),
    context: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Context fields the payload hash does not cover' }),
  })
  .openapi('ClaimedFields', { description: 'The agent’s own words: enforced by nothing, never verified' });

/** A request as the API shows it (`toRequestView`): verified, bound and claimed kept apart. */
export const RequestViewSchema = z
  .object({
    id: z.string(),
    status: RequestStatusSchema,
    verified: VerifiedFactsSchema,
    bound: BoundFieldsSchema,
    claimed: ClaimedFieldsSchema,
    risk: RiskSchema.openapi({ description: 'The risk the policy gave it (never the agent’s hint)' }),
    createdAt: IsoTimeSchema,
    expiresAt: IsoTimeSchema,
    decidedAt: IsoTimeSchema.optional(),
    decidedBy: z.string().optional(),
    escalated: z.boolean(),
    stages: z.array(StageViewSchema),
    reviews: z.array(
      z.object({
        reviewer: z.string(),
        decision: z.enum(['approve', 'deny']),
        comment: z.string().optional(),
        stage: z.number().int(),
        at: IsoTimeSchema,
      }),
    ),
    override: z
      .object({ by: z.string(), justification: z.string(), at: IsoTimeSchema, flagged: z.literal(true) })
      .optional(),
    grant: z
      .object({ jti: z.string(), expiresAt: IsoTimeSchema, consumedAt: IsoTimeSchema.optional() })
      .optional()
      .openapi({ description: 'The grant record (never the token: see `grantToken`)' }),
    outcome: z
      .object({ result: z.enum(['succeeded', 'failed']), at: IsoTimeSchema, detail: z.string().optional() })
      .optional(),
    viewer: z.object({ canReview: z.boolean(), reason: z.string().optional(), code: z.string().optional() }),
  })
  .openapi('RequestView');

/** One request in detail: the view, the requester's usable grant token, and its audit timeline. */
export const RequestDetailSchema = RequestViewSchema.extend({
  grantToken: z
    .string()
    .optional()
    .openapi({ description: 'The grant token, for the requester only, while it is usable' }),
  timeline: z.array(AuditRecordSchema).openapi({ description: 'The audit records about this request' }),
  summary: z
    .object({
      text: z.string(),
      risk: z.enum(['low', 'medium', 'high', 'critical']),
      signals: z.array(z.object({ code: z.string(), detail: z.string() })),
      source: z
        .string()
        .openapi({ description: '`built-in` or `llm:<model>`: advisory, never part of a decision' }),
    })
    .optional()
    .openapi({ description: 'What will happen, in plain words, with its risk; absent until written' }),
}).openapi('RequestDetail');

/** What an agent submits (and what `/v1/evaluate` explains). */
export const SubmissionSchema = z
  .object({
    action: ActionNameSchema,
    params: BoundedObjectSchema.default({}),
    context: BoundedObjectSchema.optional(),
    reason: TextSchema.optional().openapi({ description: 'Why the agent wants this: stored as claimed' }),
    onBehalfOf: z.string().min(1).max(256).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const problem = body.action === SHELL_ACTION ? shellPayloadProblem(body.params) : undefined;
    // The field is already a path (`params.argv[1]`): one segment names it as written.
    if (problem !== undefined)
      ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
  })
  .openapi('Submission', {
    description:
      '`shell.execute` takes exactly one of `params.command` (a non-empty string, run by a shell) or ' +
      '`params.argv` (a non-empty array of strings, run without one).',
  });

/** The `Idempotency-Key` header of a submission. */
export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(MAX_IDEMPOTENCY_KEY_CHARS)
    .optional()
    .openapi({
      description:
        'Repeat a submission safely. Keys are the caller’s own and are remembered for 24 hours: the same key ' +
        'and body answer 200 with the original request; the same key with any other body is a 422 ' +
        '`idempotency-key-reused`.',
    }),
});

/** The answer to a submission. */
export const SubmittedSchema = z
  .object({
    request: RequestViewSchema,
    grant: z.string().optional().openapi({ description: 'The grant token, when the policy allowed at once' }),
    decision: z.object({
      outcome: z.enum(['allow', 'deny', 'require']),
      reasons: z.array(z.object({ rule: z.string(), reason: z.string() })).optional(),
    }),
  })
  .openapi('Submitted');

/** Queue filters. */
export const RequestListQuerySchema = z
  .object({
    status: RequestStatusSchema.optional(),
    action: z.string().max(256).optional(),
    team: z.string().max(256).optional(),
    risk: RiskSchema.optional(),
    awaiting: z.literal('me').optional().openapi({ description: '`me`: only requests I can vote on now' }),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().max(512).optional(),
  })
  .strict();

/** A page of the queue. */
export const RequestPageSchema = z
  .object({ requests: z.array(RequestViewSchema), nextCursor: z.string().optional() })
  .openapi('RequestPage');

/** The long-poll's timeout, in seconds. */
export const WaitQuerySchema = z
  .object({ timeout: z.coerce.number().min(0).max(60).default(30).openapi({ description: 'Seconds, 0-60' }) })
  .strict();

/** A vote. Denying needs a comment, so the requester learns why. */
export const ReviewBodySchema = z
  .object({ decision: z.enum(['approve', 'deny']), comment: TextSchema.optional() })
  .strict()
  .superRefine((body, ctx) => {
    if (body.decision === 'deny' && !body.comment?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: 'a denial needs a comment' });
    }
  })
  .openapi('ReviewBody');

/** An emergency override. */
export const OverrideBodySchema = z
  .object({ justification: TextSchema.min(1) })
  .strict()
  .openapi('OverrideBody');

/** How the approved action went. */
export const OutcomeBodySchema = z
  .object({ result: z.enum(['succeeded', 'failed']), detail: TextSchema.optional() })
  .strict()
  .openapi('OutcomeBody');

/** `{ id }` of a request in the path. */
export const RequestIdParamSchema = z.object({ id: IdSchema.openapi({ param: { name: 'id', in: 'path' } }) });

const RuleMatchSchema = z.object({
  rule: z.string(),
  position: SourcePositionSchema,
  outcome: z.enum(['allow', 'deny', 'require']),
  viaShellPart: z.string().optional(),
  trace: z.array(z.object({ condition: z.string(), ok: z.boolean(), detail: z.string() })),
});

/** What `explain` says: the decision, the near misses and the shell parts considered. */
export const ExplanationSchema = z
  .object({
    decision: z.object({
      outcome: z.enum(['allow', 'deny', 'require']),
      reason: z.string().optional(),
      reasons: z.array(z.object({ rule: z.string(), reason: z.string() })).optional(),
      matched: z.array(RuleMatchSchema),
      requirement: z
        .object({
          stages: z.array(
            z.object({
              name: z.string(),
              rule: z.string(),
              approvers: z.array(z.record(z.string(), z.unknown())),
              min: z.number().int(),
              denyMin: z.number().int(),
            }),
          ),
          expiresIn: z.number(),
          onTimeout: z.enum(['deny', 'approve', 'escalate']),
          grantTtl: z.number(),
          selfApproval: z.boolean(),
          override: z.object({ by: z.array(z.string()), justificationRequired: z.boolean() }).optional(),
        })
        .optional(),
      risk: RiskSchema,
      grantTtl: z.number().optional(),
      policyVersion: z.string(),
    }),
    nearMisses: z.array(
      z.object({
        rule: z.string(),
        position: SourcePositionSchema,
        failed: z.object({ condition: z.string(), ok: z.boolean(), detail: z.string() }),
      }),
    ),
    shell: z
      .object({
        ok: z.boolean(),
        parts: z
          .array(
            z.object({
              argv: z.array(z.string()),
              text: z.string(),
              wrappers: z.array(z.string()),
              dynamic: z.boolean(),
            }),
          )
          .optional(),
        error: z.string().optional(),
      })
      .optional(),
  })
  .openapi('Explanation');
