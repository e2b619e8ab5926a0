import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Agent } from '../../identity/agent-directory.js';
import type { DirectoryService } from '../../identity/directory-service.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, IdParamSchema, json, jsonBody, problems } from '../schemas/common-schemas.js';
import {
  ActsForBodySchema,
  ActsForParamSchema,
  AgentListSchema,
  AgentSchema,
  CreateAgentBodySchema,
} from '../schemas/directory-schemas.js';

const listAgentsRoute = createRoute({
  method: 'get',
  path: '/v1/agents',
  tags: ['directory'],
  summary: 'Agents: every one for the admin and moderators, your own and your teams’ otherwise',
  security: AUTHENTICATED,
  responses: { 200: json(AgentListSchema, 'The agents'), ...problems(401, 403) },
});

const createAgentRoute = createRoute({
  method: 'post',
  path: '/v1/agents',
  tags: ['directory'],
  summary: 'Create an agent owned by you, by a team you maintain, or (the admin) by anyone',
  security: AUTHENTICATED,
  request: { body: jsonBody(CreateAgentBodySchema) },
  responses: { 201: json(AgentSchema, 'Created'), ...problems(400, 401, 403, 404, 409, 413, 415) },
});

const disableAgentRoute = createRoute({
  method: 'post',
  path: '/v1/agents/{id}/disable',
  tags: ['directory'],
  summary: 'Disable an agent: its tokens are refused at once (its owner, team maintainers, the admin)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Disabled' }, ...problems(400, 401, 403, 404) },
});

const enableAgentRoute = createRoute({
  method: 'post',
  path: '/v1/agents/{id}/enable',
  tags: ['directory'],
  summary: 'Enable a disabled agent again (its owner, team maintainers, the admin)',
  security: AUTHENTICATED,
  request: { params: IdParamSchema },
  responses: { 204: { description: 'Enabled' }, ...problems(400, 401, 403, 404) },
});

const addActsForRoute = createRoute({
  method: 'post',
  path: '/v1/agents/{id}/acts-for',
  tags: ['directory'],
  summary: 'Let the agent act for a user: yourself on an agent you manage, or (the admin) any active user',
  security: AUTHENTICATED,
  request: { params: IdParamSchema, body: jsonBody(ActsForBodySchema) },
  responses: { 204: { description: 'Added' }, ...problems(400, 401, 403, 404, 413, 415) },
});

const removeActsForRoute = createRoute({
  method: 'delete',
  path: '/v1/agents/{id}/acts-for/{userId}',
  tags: ['directory'],
  summary: 'Stop the agent acting for a user (its managers, the admin, or that user)',
  security: AUTHENTICATED,
  request: { params: ActsForParamSchema },
  responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404) },
});

function agentBody(agent: Agent) {
  return {
    id: agent.id,
    name: agent.name,
    owner: { kind: agent.owner.kind, id: agent.owner.id },
    disabled: agent.disabled,
    createdAt: new Date(agent.createdAt).toISOString(),
    actsFor: [...agent.actsFor],
  };
}

/** Agents. */
export function registerAgentRoutes(
  app: OpenAPIHono<HttpEnv>,
  context: HttpContext,
  directory: DirectoryService,
): void {
  app.openapi(listAgentsRoute, async (c) => {
    const agents = await directory.listAgents(c.get('principal'), context.now());
    return c.json({ agents: agents.map(agentBody) }, 200);
  });

  app.openapi(createAgentRoute, async (c) => {
    const agent = await directory.createAgent(c.get('principal'), c.req.valid('json'), context.now());
    return c.json(agentBody(agent), 201);
  });

  app.openapi(disableAgentRoute, async (c) => {
    await directory.disableAgent(c.get('principal'), c.req.valid('param').id, context.now());
    return c.body(null, 204);
  });

  app.openapi(enableAgentRoute, async (c) => {
    await directory.enableAgent(c.get('principal'), c.req.valid('param').id, context.now());
    return c.body(null, 204);
  });

  app.openapi(addActsForRoute, async (c) => {
    const { id } = c.req.valid('param');
    await directory.addActsFor(c.get('principal'), id, c.req.valid('json').user, context.now());
    return c.body(null, 204);
  });

  app.openapi(removeActsForRoute, async (c) => {
    const { id, userId } = c.req.valid('param');
    await directory.removeActsFor(c.get('principal'), id, userId, context.now());
    return c.body(null, 204);
  });
}
