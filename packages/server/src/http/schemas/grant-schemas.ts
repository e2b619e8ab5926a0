import { z } from '@hono/zod-openapi';
import { MAX_GRANT_CHARS } from '../limits.js';
import { ActionNameSchema, BoundedObjectSchema } from './common-schemas.js';

/** What an executor presents: the grant and, to have it checked, the payload it will run. */
export const ConsumeGrantBodySchema = z
  .object({
    grant: z.string().min(1).max(MAX_GRANT_CHARS).openapi({ description: 'The compact JWS grant token' }),
    action: ActionNameSchema.optional(),
    params: BoundedObjectSchema.optional(),
    context: BoundedObjectSchema.optional(),
  })
  .strict()
  .openapi('ConsumeGrantBody');

/** What a consumed grant allows: exactly this action with exactly these params, once. */
export const ConsumedGrantSchema = z
  .object({
    requestId: z.string(),
    action: z.string(),
    params: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()),
    payloadHash: z.string(),
  })
  .openapi('ConsumedGrant');

/** The public keys that verify grants. */
export const JwksSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.literal('OKP'),
        crv: z.literal('Ed25519'),
        x: z.string(),
        kid: z.string(),
        alg: z.literal('EdDSA'),
        use: z.literal('sig'),
      }),
    ),
  })
  .openapi('Jwks');
