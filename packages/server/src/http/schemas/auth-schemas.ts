import { z } from '@hono/zod-openapi';
import { RoleSchema } from './common-schemas.js';

/** Username and password. */
export const LoginBodySchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict()
  .openapi('LoginBody');

/** The signed-in user as the web app shows them. */
export const SessionUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    teams: z.array(z.string()),
  })
  .openapi('SessionUser');

/** A new session: the user, and the CSRF token to send in `X-CSRF-Token` on unsafe requests. */
export const LoginResultSchema = z
  .object({ user: SessionUserSchema, csrfToken: z.string() })
  .openapi('LoginResult');

/** Who is calling, however they authenticated. */
export const SessionInfoSchema = z
  .object({
    principal: z.object({
      kind: z.enum(['user', 'agent']),
      id: z.string(),
      role: RoleSchema.optional(),
      teams: z.array(z.string()),
      scopes: z.array(z.string()),
      via: z.enum(['token', 'session']),
    }),
    user: SessionUserSchema.optional().openapi({ description: 'Present for users' }),
    csrfToken: z
      .string()
      .optional()
      .openapi({ description: 'For a browser session, when its CSRF cookie is present and matches' }),
  })
  .openapi('SessionInfo');

/** Whether the first admin still has to be created. */
export const SetupStatusSchema = z.object({ needsSetup: z.boolean() }).openapi('SetupStatus');
