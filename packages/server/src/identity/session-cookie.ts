// How the HTTP layer carries a session. The cookie holds the session secret; the CSRF token is
// sent back in a header on every unsafe request (and may be mirrored in a readable cookie so a
// reloaded page can find it: the server only stores its hash and cannot hand it out again).

/** The session cookie's name. */
export const SESSION_COOKIE_NAME = 'gatehouse_session';

/** The header an unsafe request on a cookie session must carry the CSRF token in. */
export const CSRF_HEADER_NAME = 'x-csrf-token';

/** A cookie the web app may read to find its CSRF token after a reload (double submit). */
export const CSRF_COOKIE_NAME = 'gatehouse_csrf';

/** Cookie attributes in the shape Hono's `setCookie` takes. */
export interface CookieAttributes {
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite: 'Strict';
  readonly path: '/';
}

/**
 * The session cookie's attributes: never readable by scripts, never sent cross-site, for the
 * whole app, and Secure whenever users reach the server over https. No Max-Age: the cookie
 * ends with the browser, and the server ends the session after 12 h idle or 7 days in any case.
 * @example setCookie(c, SESSION_COOKIE_NAME, session.cookieValue, sessionCookieAttributes(config.publicUrl));
 */
export function sessionCookieAttributes(publicUrl: string): CookieAttributes {
  return Object.freeze({ httpOnly: true, secure: isHttps(publicUrl), sameSite: 'Strict', path: '/' });
}

/** The CSRF cookie's attributes: like the session's, but readable by the web app's scripts. */
export function csrfCookieAttributes(publicUrl: string): CookieAttributes {
  return Object.freeze({ httpOnly: false, secure: isHttps(publicUrl), sameSite: 'Strict', path: '/' });
}

function isHttps(publicUrl: string): boolean {
  return publicUrl.toLowerCase().startsWith('https:');
}
