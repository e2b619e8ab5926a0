// The HTTP API: REST under /v1 with its OpenAPI 3.1 document, problem details, authentication
// with CSRF, live events and long-poll. The composition root builds an `HttpContext` and serves
// `createHttpApp(context)`.

export * from './http-app.js';
export type * from './http-context.js';
export { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, type ProblemDetails } from './problem-details.js';
