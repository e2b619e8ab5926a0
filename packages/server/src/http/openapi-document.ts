import type { OpenAPIHono } from '@hono/zod-openapi';
import type { HttpEnv } from './http-context.js';
import { SECURITY_SCHEMES } from './schemas/common-schemas.js';

/** The OpenAPI 3.1 document, as `/openapi.json` serves it. */
export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

/** The API's version in the document (the path prefix says `/v1`). */
export const API_VERSION = '1.0.0';

/** Declares the two ways to authenticate, for routes' `security` to name. */
export function registerSecuritySchemes(app: OpenAPIHono<HttpEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEMES.bearer, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token, `gh_<prefix>_<secret>`',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEMES.cookie, {
    type: 'apiKey',
    in: 'cookie',
    name: 'gatehouse_session',
    description: 'A browser session; unsafe methods also need the `X-CSRF-Token` header',
  });
}

/**
 * The OpenAPI 3.1 document of every route registered on `app`, generated from the same zod
 * schemas that validate requests. Generated on first use (routes are fixed once the app is
 * built) and kept.
 */
export function openApiDocumentOf(app: OpenAPIHono<HttpEnv>, publicUrl: string): () => OpenApiDocument {
  let document: OpenApiDocument | undefined;
  return () => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse API',
        version: API_VERSION,
        description:
          'Human approval for agent actions: submit actions, review them, consume single-use grants, and ' +
          'follow everything in a hash-chained audit log. Errors are RFC 9457 problem details.',
      },
      servers: [{ url: publicUrl }],
    });
    return document;
  };
}
