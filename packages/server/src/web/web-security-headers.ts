/**
 * The Content-Security-Policy of every page of the web app. Everything comes from this
 * origin; nothing inline (the build emits no inline script or style), no plugins, no
 * framing, no `<base>` tricks. `img-src data:` admits the small icons the stylesheet embeds.
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The headers every HTML response of the web app carries. */
export const WEB_HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': WEB_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
});

/** Hashed build assets never change under their name: cache them for a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** `index.html` names the current assets: always revalidate it. */
export const REVALIDATE_CACHE_CONTROL = 'no-cache';
