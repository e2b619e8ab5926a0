import { OpenAPIHono } from '@hono/zod-openapi';
import { createDirectoryService } from '../identity/directory-service.js';
import { createWebAppRoutes } from '../web/web-app-routes.js';
import { authMiddleware } from './auth-middleware.js';
import type { HttpContext, HttpEnv } from './http-context.js';
import { createHttpMetrics } from './http-metrics.js';
import { jsonBodyGuard } from './json-body-guard.js';
import { requestBodyLimit } from './limits.js';
import { openApiDocumentOf, registerSecuritySchemes } from './openapi-document.js';
import { handleError } from './problem-details.js';
import { notFoundHandler } from './route-not-found.js';
import { registerAgentRoutes } from './routes/agent-routes.js';
import { registerAuditRoutes } from './routes/audit-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerEmergencyRoutes } from './routes/emergency-routes.js';
import { registerEventRoutes } from './routes/event-routes.js';
import { registerGrantRoutes } from './routes/grant-routes.js';
import { registerPolicyRoutes } from './routes/policy-routes.js';
import { registerRequestDecisionRoutes } from './routes/request-decision-routes.js';
import { registerRequestRoutes } from './routes/request-routes.js';
import { registerSystemRoutes } from './routes/system-routes.js';
import { registerTeamRoutes } from './routes/team-routes.js';
import { registerTokenRoutes } from './routes/token-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';
import { registerWebhookRoutes } from './routes/webhook-routes.js';
import { validationHook } from './validation-hook.js';

/**
 * The whole HTTP API: REST under `/v1`, the OpenAPI 3.1 document at `/openapi.json` and its
 * reference at `/docs`, live events, probes and metrics. Every error leaves as an RFC 9457
 * problem. The composition root serves it with @hono/node-server; tests call `app.request()`.
 *
 * Order matters: metrics see every answer, the body limit runs before anything reads a body,
 * authentication (with CSRF) runs before any `/v1` route but the public ones, and the JSON body
 * guard before any route reads a body.
 * @example serve({ fetch: createHttpApp(context).fetch, port: config.port });
 */
export function createHttpApp(context: HttpContext): OpenAPIHono<HttpEnv> {
  const app = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });
  const metrics = createHttpMetrics(context.metrics);
  const directory = createDirectoryService({
    db: context.db,
    ...(context.passwords === undefined ? {} : { passwords: context.passwords }),
  });

  app.use('*', metrics.middleware);
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.use('*', requestBodyLimit());
  app.use('/v1/*', authMiddleware(context));
  app.use('/v1/*', jsonBodyGuard());

  registerSecuritySchemes(app);
  registerRequestRoutes(app, context, metrics);
  registerRequestDecisionRoutes(app, context);
  registerGrantRoutes(app, context);
  registerEventRoutes(app, context);
  registerPolicyRoutes(app, context);
  registerAuthRoutes(app, context);
  registerUserRoutes(app, context, directory);
  registerTeamRoutes(app, context, directory);
  registerAgentRoutes(app, context, directory);
  registerTokenRoutes(app, context, directory);
  registerAuditRoutes(app, context);
  registerEmergencyRoutes(app, context);
  if (context.webhooks !== undefined) registerWebhookRoutes(app, context.webhooks);
  registerSystemRoutes(app, context, openApiDocumentOf(app, context.config.publicUrl));

  // After every API route: the web app answers only GETs no API path claims.
  if (context.webDistDir !== undefined) app.route('/', createWebAppRoutes({ distDir: context.webDistDir }));

  app.notFound(notFoundHandler(() => app.routes));
  app.onError((error, c) => handleError(error, c, context.logger));
  return app;
}
