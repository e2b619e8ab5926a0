import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { DirectoryService } from '../../identity/directory-service.js';
import type { UserView } from '../../identity/user-directory.js';
import { setEmailOfUser, visibleEmails } from '../../identity/user-email-service.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, IdParamSchema, json, jsonBody, problems } from '../schemas/common-schemas.js';
import {
  CreateUserBodySchema,
  SetPasswordBodySchema,
  TransferAdminBodySchema,
  UpdateUserBodySchema,
  UserListSchema,
  UserSchema,
} from '../schemas/directory-schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

const listUsersRoute = createRoute({
  method: 'get',
  path: '/v1/users',
  tags: ['directory'],
  summary: 'Every user (any human)',
  security: AUTHENTICATED,
  responses: { 200: json(UserListSchema, 'The users'), ...problems(401, 403) },
});

const createUserRoute = createRoute({
  method: 'post',
  path: '/v1/users',
  tags: ['directory'],
  summary: 'Create a user (the admin; a moderator may create plain users)',
  security: AUTHENTICATED,
  request: { body: jsonBody(CreateUserBodySchema) },
  responses: { 201: json(UserSchema, 'Created'), ...problems(400, 401, 403, 409, 413, 415) },
});

const updateUserRoute = createRoute({
  method: 'patch',
  path: '/v1/users/{id}',
  tags: ['directory'],
  summary:
    'Change a user’s base role or disable/enable them (the admin), or their email (the admin, or yourself)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema, body: jsonBody(UpdateUserBodySchema) },
  responses: { 204: { description: 'Changed' }, ...problems(400, 401, 403, 404, 413, 415) },
});

const setPasswordRoute = createRoute({
  method: 'post',
  path: '/v1/users/{id}/password',
  tags: ['directory'],
  summary: 'Change your password (with the current one), or the admin sets another’s',
  security: AUTHENTICATED,
  request: { params: IdParamSchema, body: jsonBody(SetPasswordBodySchema) },
  responses: {
    204: { description: 'Changed; the user’s sessions ended' },
    ...problems(400, 401, 403, 404, 413, 415),
  },
});

const transferRoute = createRoute({
  method: 'post',
  path: '/v1/admin/transfer',
  tags: ['directory'],
  summary: 'Hand the admin seat to another user (the admin; you stay on as a moderator)',
  security: AUTHENTICATED,
  request: { body: jsonBody(TransferAdminBodySchema) },
  responses: { 204: { description: 'Transferred' }, ...problems(400, 401, 403, 404, 413, 415) },
});

function userBody(user: UserView, email?: string) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    baseRole: user.baseRole,
    disabled: user.disabled,
    createdAt: iso(user.createdAt),
    ...(user.lockedUntil === undefined ? {} : { lockedUntil: iso(user.lockedUntil) }),
    ...(email === undefined ? {} : { email }),
  };
}

/** Users, passwords and the admin seat. */
export function registerUserRoutes(
  app: OpenAPIHono<HttpEnv>,
  context: HttpContext,
  directory: DirectoryService,
): void {
  app.openapi(listUsersRoute, async (c) => {
    const principal = c.get('principal');
    const users = await directory.listUsers(principal, context.now());
    const emails = await visibleEmails(
      principal,
      users.map((user) => user.id),
      context.now(),
      context.db,
    );
    return c.json({ users: users.map((user) => userBody(user, emails.get(user.id))) }, 200);
  });

  app.openapi(createUserRoute, async (c) => {
    const user = await directory.createUser(c.get('principal'), c.req.valid('json'), context.now());
    return c.json(userBody(user), 201);
  });

  app.openapi(updateUserRoute, async (c) => {
    const principal = c.get('principal');
    const { id } = c.req.valid('param');
    const { role, disabled, email } = c.req.valid('json');
    if (role !== undefined) await directory.setRole(principal, id, role, context.now());
    if (disabled === true) await directory.disableUser(principal, id, context.now());
    if (disabled === false) await directory.enableUser(principal, id, context.now());
    // Last: the admin-only changes refuse first, so a refused request changes nothing of a user's own.
    if (email !== undefined) await setEmailOfUser(principal, id, email, context.now(), context.db);
    return c.body(null, 204);
  });

  app.openapi(setPasswordRoute, async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    await directory.setPassword(
      c.get('principal'),
      c.req.valid('param').id,
      { newPassword, ...(currentPassword === undefined ? {} : { currentPassword }) },
      context.now(),
    );
    return c.body(null, 204);
  });

  app.openapi(transferRoute, async (c) => {
    await directory.transferAdmin(c.get('principal'), c.req.valid('json').userId, context.now());
    return c.body(null, 204);
  });
}
