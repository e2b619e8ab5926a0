import type { SessionUser } from '../api/api-types.js';
import { Link } from '../app/link.js';
import { useLocation } from '../app/navigation.js';
import { isStaff } from '../session/use-session.js';

interface NavItem {
  readonly to: string;
  readonly label: string;
  /** Whether this item is the current section for a path. */
  readonly current: (pathname: string) => boolean;
}

function itemsFor(user: SessionUser): NavItem[] {
  const items: NavItem[] = [
    { to: '/', label: 'Queue', current: (p) => p === '/' || p.startsWith('/requests') },
  ];
  // The audit log is for the admin and moderators (the API refuses others).
  if (isStaff(user)) items.push({ to: '/audit', label: 'Audit', current: (p) => p.startsWith('/audit') });
  items.push(
    { to: '/policy', label: 'Policy', current: (p) => p.startsWith('/policy') },
    { to: '/admin', label: 'Administration', current: (p) => p.startsWith('/admin') },
  );
  return items;
}

/** The main navigation, with the current section marked. */
export function AppNav({ user }: { readonly user: SessionUser }) {
  const { pathname } = useLocation();
  return (
    <nav className="app-nav" aria-label="Main">
      <ul>
        {itemsFor(user).map((item) => (
          <li key={item.to}>
            <Link to={item.to} aria-current={item.current(pathname) ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
