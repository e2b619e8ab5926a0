/** Every page of the app. */
export type Route =
  | { readonly page: 'queue' }
  | { readonly page: 'request'; readonly id: string }
  | { readonly page: 'audit' }
  | { readonly page: 'policy'; readonly tab: PolicyTab }
  | { readonly page: 'admin'; readonly section: AdminSection }
  | { readonly page: 'account' }
  | { readonly page: 'first-run' }
  | { readonly page: 'sign-in' }
  | { readonly page: 'not-found' };

/** The policy page's tabs. */
export type PolicyTab = 'active' | 'versions' | 'simulator' | 'edit';

/** The administration page's sections. */
export type AdminSection = 'users' | 'teams' | 'groups' | 'agents' | 'tokens' | 'emergency';

const POLICY_TABS: readonly PolicyTab[] = ['active', 'versions', 'simulator', 'edit'];
const ADMIN_SECTIONS: readonly AdminSection[] = ['users', 'teams', 'groups', 'agents', 'tokens', 'emergency'];

/** The page a path shows. */
export function matchRoute(pathname: string): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const [first, second, ...rest] = segments;
  if (rest.length > 0) return { page: 'not-found' };
  switch (first) {
    case undefined:
      return { page: 'queue' };
    case 'requests':
      if (second === undefined) return { page: 'queue' };
      return { page: 'request', id: decodeURIComponent(second) };
    case 'audit':
      return second === undefined ? { page: 'audit' } : { page: 'not-found' };
    case 'policy': {
      const tab = (second ?? 'active') as PolicyTab;
      return POLICY_TABS.includes(tab) ? { page: 'policy', tab } : { page: 'not-found' };
    }
    case 'admin': {
      const section = (second ?? 'users') as AdminSection;
      return ADMIN_SECTIONS.includes(section) ? { page: 'admin', section } : { page: 'not-found' };
    }
    case 'account':
      return second === undefined ? { page: 'account' } : { page: 'not-found' };
    case 'first-run':
      return second === undefined ? { page: 'first-run' } : { page: 'not-found' };
    case 'sign-in':
      return second === undefined ? { page: 'sign-in' } : { page: 'not-found' };
    default:
      return { page: 'not-found' };
  }
}

/** The path of a request's detail page. */
export function requestPath(id: string): string {
  return `/requests/${encodeURIComponent(id)}`;
}
