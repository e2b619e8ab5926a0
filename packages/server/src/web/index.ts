// Serving the built reviewer web app beside the API.

export { createWebAppRoutes, type WebAppOptions } from './web-app-routes.js';
export { isServerPath } from './web-paths.js';
export {
  IMMUTABLE_CACHE_CONTROL,
  WEB_CONTENT_SECURITY_POLICY,
  WEB_HTML_SECURITY_HEADERS,
} from './web-security-headers.js';
