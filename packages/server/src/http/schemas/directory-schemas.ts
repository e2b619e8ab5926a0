import { z } from '@hono/zod-openapi';
import { IdSchema, IsoTimeSchema, RoleSchema } from './common-schemas.js';

const NameSchema = z.string().min(1).max(64).openapi({ example: 'infra' });
const BaseRoleSchema = z.enum(['user', 'moderator']);

/** A user as the directory shows them. */
export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    baseRole: BaseRoleSchema,
    disabled: z.boolean(),
    createdAt: IsoTimeSchema,
    lockedUntil: IsoTimeSchema.optional(),
    email: z
      .string()
      .optional()
      .openapi({ description: 'Shown to the admin, and to the user themselves; absent when unset' }),
  })
  .openapi('User');

/** Every user. */
export const UserListSchema = z.object({ users: z.array(UserSchema) }).openapi('UserList');

/** A new user. */
export const CreateUserBodySchema = z
  .object({
    username: NameSchema,
    displayName: z.string().max(128).optional(),
    role: BaseRoleSchema.optional(),
    password: z.string().max(1024).optional(),
  })
  .strict()
  .openapi('CreateUserBody');

/** A change to a user: role, disabled, or email (`null` clears it). */
export const UpdateUserBodySchema = z
  .object({
    role: BaseRoleSchema.optional(),
    disabled: z.boolean().optional(),
    // The format is checked by the directory (checkEmail), so the CLI on the host gets the same rule.
    email: z.string().max(254).nullable().optional().openapi({ example: 'alice@example.com' }),
  })
  .strict()
  .refine((body) => body.role !== undefined || body.disabled !== undefined || body.email !== undefined, {
    message: 'give role, disabled or email',
    path: ['role'],
  })
  .openapi('UpdateUserBody');

/** A password change: your own needs the current one. */
export const SetPasswordBodySchema = z
  .object({ currentPassword: z.string().max(1024).optional(), newPassword: z.string().max(1024) })
  .strict()
  .openapi('SetPasswordBody');

/** Hand the admin seat to another user. */
export const TransferAdminBodySchema = z.object({ userId: IdSchema }).strict().openapi('TransferAdminBody');

/** A team with its members. */
export const TeamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    members: z.array(z.object({ userId: z.string(), role: z.enum(['maintainer', 'member']) })),
  })
  .openapi('Team');

/** Every team. */
export const TeamListSchema = z.object({ teams: z.array(TeamSchema) }).openapi('TeamList');

/** A new team or group: its name. */
export const NameBodySchema = z.object({ name: NameSchema }).strict().openapi('NameBody');

/** Add a user to a team (or change their role there). */
export const TeamMemberBodySchema = z
  .object({ userId: IdSchema, role: z.enum(['maintainer', 'member']).default('member') })
  .strict()
  .openapi('TeamMemberBody');

/** `{ id, userId }` in the path. */
export const TeamMemberParamSchema = z.object({
  id: IdSchema.openapi({ param: { name: 'id', in: 'path' } }),
  userId: IdSchema.openapi({ param: { name: 'userId', in: 'path' } }),
});

/** An approval group. */
export const GroupSchema = z
  .object({ name: z.string(), users: z.array(z.string()), teams: z.array(z.string()) })
  .openapi('ApprovalGroup');

/** Every approval group. */
export const GroupListSchema = z.object({ groups: z.array(GroupSchema) }).openapi('ApprovalGroupList');

/** A user or a team, as a group member or an agent owner. */
export const MemberRefSchema = z
  .object({ kind: z.enum(['user', 'team']), id: IdSchema })
  .strict()
  .openapi('MemberRef');

/** `{ name }` of a group in the path. */
export const GroupParamSchema = z.object({
  name: NameSchema.openapi({ param: { name: 'name', in: 'path' } }),
});

/** `{ name, kind, id }` of a group member in the path. */
export const GroupMemberParamSchema = GroupParamSchema.extend({
  kind: z.enum(['user', 'team']).openapi({ param: { name: 'kind', in: 'path' } }),
  id: IdSchema.openapi({ param: { name: 'id', in: 'path' } }),
});

/** An agent. */
export const AgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    owner: z.object({ kind: z.enum(['user', 'team']), id: z.string() }),
    disabled: z.boolean(),
    createdAt: IsoTimeSchema,
    actsFor: z
      .array(z.string())
      .openapi({ description: 'The users it may name as `onBehalfOf`; anything else is refused' }),
  })
  .openapi('Agent');

/** The agents the caller may see. */
export const AgentListSchema = z.object({ agents: z.array(AgentSchema) }).openapi('AgentList');

/** A new agent; owned by the caller unless `owner` names a user or team. */
export const CreateAgentBodySchema = z
  .object({
    name: NameSchema,
    owner: MemberRefSchema.optional(),
    actsFor: z
      .array(NameSchema)
      .max(100)
      .optional()
      .openapi({ description: 'Users it may act for: only yourself, unless you are the admin' }),
  })
  .strict()
  .openapi('CreateAgentBody');

/** A user an agent is to act for. */
export const ActsForBodySchema = z.object({ user: NameSchema }).strict().openapi('ActsForBody');

/** `{ id, userId }` of an agent's acts-for entry in the path. */
export const ActsForParamSchema = z.object({
  id: IdSchema.openapi({ param: { name: 'id', in: 'path' } }),
  userId: IdSchema.openapi({ param: { name: 'userId', in: 'path' } }),
});

/** An API token's metadata (never its secret or hash). */
export const TokenSchema = z
  .object({
    id: z.string(),
    prefix: z.string(),
    principal: z.object({ kind: z.enum(['user', 'agent']), id: z.string() }),
    scopes: z.array(z.string()),
    createdAt: IsoTimeSchema,
    expiresAt: IsoTimeSchema.optional(),
    revokedAt: IsoTimeSchema.optional(),
    lastUsedAt: IsoTimeSchema.optional(),
  })
  .openapi('Token');

/** A principal's tokens. */
export const TokenListSchema = z.object({ tokens: z.array(TokenSchema) }).openapi('TokenList');

/** Whose tokens to list: yours, or an agent's you manage. */
export const TokenListQuerySchema = z.object({ agentId: IdSchema.optional() }).strict();

/** A new token: for yourself, or for an agent you manage. */
export const CreateTokenBodySchema = z
  .object({
    agentId: IdSchema.optional(),
    scopes: z.array(z.string().max(64)).min(1).max(16).optional(),
    expiresAt: z.iso
      .datetime()
      .optional()
      .openapi({ description: 'When it stops working; none: until revoked' }),
  })
  .strict()
  .openapi('CreateTokenBody');

/** A token just made: its text is shown this once. */
export const IssuedTokenSchema = z
  .object({
    token: z.string().openapi({ description: 'Shown once; store it now' }),
    id: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    expiresAt: IsoTimeSchema.optional(),
  })
  .openapi('IssuedToken');
