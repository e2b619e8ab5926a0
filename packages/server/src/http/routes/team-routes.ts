import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { DirectoryService } from '../../identity/directory-service.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, IdParamSchema, json, jsonBody, problems } from '../schemas/common-schemas.js';
import {
  GroupListSchema,
  GroupMemberParamSchema,
  GroupParamSchema,
  GroupSchema,
  MemberRefSchema,
  NameBodySchema,
  TeamListSchema,
  TeamMemberBodySchema,
  TeamMemberParamSchema,
  TeamSchema,
} from '../schemas/directory-schemas.js';

const listTeamsRoute = createRoute({
  method: 'get',
  path: '/v1/teams',
  tags: ['directory'],
  summary: 'Every team with its members (any human)',
  security: AUTHENTICATED,
  responses: { 200: json(TeamListSchema, 'The teams'), ...problems(401, 403) },
});

const createTeamRoute = createRoute({
  method: 'post',
  path: '/v1/teams',
  tags: ['directory'],
  summary: 'Create a team (the admin or a moderator)',
  security: AUTHENTICATED,
  request: { body: jsonBody(NameBodySchema) },
  responses: { 201: json(TeamSchema, 'Created'), ...problems(400, 401, 403, 409, 413, 415) },
});

const addTeamMemberRoute = createRoute({
  method: 'post',
  path: '/v1/teams/{id}/members',
  tags: ['directory'],
  summary: 'Add a member or change their role (the admin, a moderator, or the team’s maintainers)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema, body: jsonBody(TeamMemberBodySchema) },
  responses: { 204: { description: 'Added' }, ...problems(400, 401, 403, 404, 413, 415) },
});

const removeTeamMemberRoute = createRoute({
  method: 'delete',
  path: '/v1/teams/{id}/members/{userId}',
  tags: ['directory'],
  summary: 'Remove a member (the admin, a moderator, or the team’s maintainers)',
  security: AUTHENTICATED,
  request: { params: TeamMemberParamSchema },
  responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404) },
});

const listGroupsRoute = createRoute({
  method: 'get',
  path: '/v1/groups',
  tags: ['directory'],
  summary: 'Every approval group (any human)',
  security: AUTHENTICATED,
  responses: { 200: json(GroupListSchema, 'The groups'), ...problems(401, 403) },
});

const createGroupRoute = createRoute({
  method: 'post',
  path: '/v1/groups',
  tags: ['directory'],
  summary: 'Create an approval group (the admin or a moderator)',
  security: AUTHENTICATED,
  request: { body: jsonBody(NameBodySchema) },
  responses: { 201: json(GroupSchema, 'Created'), ...problems(400, 401, 403, 409, 413, 415) },
});

const addGroupMemberRoute = createRoute({
  method: 'post',
  path: '/v1/groups/{name}/members',
  tags: ['directory'],
  summary: 'Add a user or a team to a group (the admin or a moderator)',
  security: AUTHENTICATED,
  request: { params: GroupParamSchema, body: jsonBody(MemberRefSchema) },
  responses: { 204: { description: 'Added' }, ...problems(400, 401, 403, 404, 413, 415) },
});

const removeGroupMemberRoute = createRoute({
  method: 'delete',
  path: '/v1/groups/{name}/members/{kind}/{id}',
  tags: ['directory'],
  summary: 'Remove a user or a team from a group (the admin or a moderator)',
  security: AUTHENTICATED,
  request: { params: GroupMemberParamSchema },
  responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404) },
});

/** Teams and approval groups. */
export function registerTeamRoutes(
  app: OpenAPIHono<HttpEnv>,
  context: HttpContext,
  directory: DirectoryService,
): void {
  app.openapi(listTeamsRoute, async (c) => {
    const teams = await directory.listTeams(c.get('principal'), context.now());
    return c.json(
      { teams: teams.map((team) => ({ ...team, members: team.members.map((m) => ({ ...m })) })) },
      200,
    );
  });

  app.openapi(createTeamRoute, async (c) => {
    const team = await directory.createTeam(c.get('principal'), c.req.valid('json').name, context.now());
    return c.json({ ...team, members: team.members.map((m) => ({ ...m })) }, 201);
  });

  app.openapi(addTeamMemberRoute, async (c) => {
    const { userId, role } = c.req.valid('json');
    await directory.addTeamMember(c.get('principal'), c.req.valid('param').id, userId, role, context.now());
    return c.body(null, 204);
  });

  app.openapi(removeTeamMemberRoute, async (c) => {
    const { id, userId } = c.req.valid('param');
    await directory.removeTeamMember(c.get('principal'), id, userId, context.now());
    return c.body(null, 204);
  });

  app.openapi(listGroupsRoute, async (c) => {
    const groups = await directory.listGroups(c.get('principal'), context.now());
    return c.json(
      { groups: groups.map((g) => ({ name: g.name, users: [...g.users], teams: [...g.teams] })) },
      200,
    );
  });

  app.openapi(createGroupRoute, async (c) => {
    const group = await directory.createGroup(c.get('principal'), c.req.valid('json').name, context.now());
    return c.json({ name: group.name, users: [...group.users], teams: [...group.teams] }, 201);
  });

  app.openapi(addGroupMemberRoute, async (c) => {
    await directory.addGroupMember(
      c.get('principal'),
      c.req.valid('param').name,
      c.req.valid('json'),
      context.now(),
    );
    return c.body(null, 204);
  });

  app.openapi(removeGroupMemberRoute, async (c) => {
    const { name, kind, id } = c.req.valid('param');
    await directory.removeGroupMember(c.get('principal'), name, { kind, id }, context.now());
    return c.body(null, 204);
  });
}
