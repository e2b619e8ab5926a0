/**
 * Whether `target` is a path inside this app, safe to go back to after sign-in: same origin
 * only, so a crafted `?next=` cannot send a reviewer to another site.
 */
export function isInAppPath(target: string): boolean {
  return (
    target.startsWith('/') &&
    !target.startsWith('//') &&
    !target.startsWith('/\\') &&
    !/[\r\n\t]/.test(target)
  );
}

/** The sign-in page's path that returns to `from` afterwards. */
export function signInPathFrom(from: string): string {
  return from === '/' || !isInAppPath(from) || from.startsWith('/sign-in')
    ? '/sign-in'
    : `/sign-in?next=${encodeURIComponent(from)}`;
}

/** Where to go after signing in: the `next` of the query when it is an in-app path, else the queue. */
export function returnPathOf(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next !== null && isInAppPath(next) && !next.startsWith('/sign-in') ? next : '/';
}
