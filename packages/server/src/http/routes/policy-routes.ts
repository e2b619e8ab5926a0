import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { actorOf } from '../../identity/authenticated-principal.js';
import { policyProblems } from '../../policy/policy-admission.js';
import type { ActivePolicy } from '../../policy/policy-store.js';
import { listPolicyVersions } from '../../storage/policies-dal.js';
import { requireAudience } from '../access-guard.js';
import type { HttpContext, HttpEnv } from '../http-context.js';
import { AUTHENTICATED, bodyOf, json, jsonBody, problems } from '../schemas/common-schemas.js';
import {
  ActivePolicySchema,
  LintResultSchema,
  PolicySourceBodySchema,
  PolicyVersionListSchema,
  PolicyVersionParamSchema,
  PolicyVersionSchema,
} from '../schemas/policy-schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

const getPolicyRoute = createRoute({
  method: 'get',
  path: '/v1/policy',
  tags: ['policy'],
  summary: 'The active policy: source, version and rules',
  security: AUTHENTICATED,
  responses: { 200: json(ActivePolicySchema, 'The active policy'), ...problems(401, 403, 404) },
});

const listVersionsRoute = createRoute({
  method: 'get',
  path: '/v1/policy/versions',
  tags: ['policy'],
  summary: 'Every stored policy version, newest first',
  security: AUTHENTICATED,
  responses: { 200: json(PolicyVersionListSchema, 'The versions'), ...problems(401, 403) },
});

const getVersionRoute = createRoute({
  method: 'get',
  path: '/v1/policy/versions/{version}',
  tags: ['policy'],
  summary: 'One stored policy version with its source',
  security: AUTHENTICATED,
  request: { params: PolicyVersionParamSchema },
  responses: { 200: json(PolicyVersionSchema, 'The version'), ...problems(400, 401, 403, 404) },
});

const applyRoute = createRoute({
  method: 'put',
  path: '/v1/policy',
  tags: ['policy'],
  summary: 'Validate, store and activate a new policy (the admin only; audited)',
  security: AUTHENTICATED,
  request: { body: jsonBody(PolicySourceBodySchema) },
  responses: {
    200: json(ActivePolicySchema, 'The policy now active'),
    ...problems(400, 401, 403, 413, 415, 422),
  },
});

const lintRoute = createRoute({
  method: 'post',
  path: '/v1/policy/lint',
  tags: ['policy'],
  summary: 'Check a policy source without storing it',
  security: AUTHENTICATED,
  request: { body: jsonBody(PolicySourceBodySchema) },
  responses: {
    200: json(LintResultSchema, 'Every problem, with line and column'),
    ...problems(400, 401, 403, 413, 415),
  },
});

function policyBody(active: ActivePolicy) {
  return bodyOf(ActivePolicySchema, {
    version: active.version,
    source: active.source,
    rules: active.policy.rules.map((rule) => ({
      name: rule.name,
      position: { ...rule.position },
      outcome: rule.outcome.kind,
      match: { ...rule.match },
      ...(rule.risk === undefined ? {} : { risk: rule.risk }),
    })),
    activatedAt: iso(active.activatedAt),
  });
}

/** Read, version, apply and lint the policy. */
export function registerPolicyRoutes(app: OpenAPIHono<HttpEnv>, context: HttpContext): void {
  const read = { name: 'policy.read', subject: 'policy', scope: 'policy:read' } as const;

  app.openapi(getPolicyRoute, async (c) => {
    await requireAudience(context, c.get('principal'), 'any', read);
    return c.json(policyBody(context.policies.current()), 200);
  });

  app.openapi(listVersionsRoute, async (c) => {
    await requireAudience(context, c.get('principal'), 'any', read);
    const versions = await listPolicyVersions(context.db);
    return c.json(
      { versions: versions.map((version) => ({ ...version, createdAt: iso(version.createdAt) })) },
      200,
    );
  });

  app.openapi(getVersionRoute, async (c) => {
    await requireAudience(context, c.get('principal'), 'any', read);
    const record = await context.policies.getVersion(c.req.valid('param').version);
    return c.json({ ...record, createdAt: iso(record.createdAt) }, 200);
  });

  app.openapi(applyRoute, async (c) => {
    const principal = c.get('principal');
    await requireAudience(context, principal, 'admin', {
      name: 'policy.apply',
      subject: 'policy',
      scope: 'policy:write',
    });
    const active = await context.policies.apply(
      { actor: actorOf(principal), isAdmin: principal.role === 'admin' },
      c.req.valid('json').source,
      context.now(),
    );
    return c.json(policyBody(active), 200);
  });

  app.openapi(lintRoute, async (c) => {
    await requireAudience(context, c.get('principal'), 'human', { name: 'policy.lint', subject: 'policy' });
    const errors = policyProblems(c.req.valid('json').source, 'policy.yaml').map((d) => ({
      line: d.position.line,
      column: d.position.column,
      code: d.code,
      message: d.message,
    }));
    return c.json({ valid: errors.length === 0, errors }, 200);
  });
}
