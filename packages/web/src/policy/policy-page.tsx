import type { ActivePolicy } from '../api/api-types.js';
import { Link } from '../app/link.js';
import type { PolicyTab } from '../app/routes.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { useDocumentTitle } from '../common/use-document-title.js';
import { useUser } from '../session/use-session.js';
import { ActivePolicyView } from './active-policy-view.js';
import { PolicyEditor } from './policy-editor.js';
import { PolicySimulator } from './policy-simulator.js';
import { PolicyVersions } from './policy-versions.js';

const TABS: readonly { readonly tab: PolicyTab; readonly label: string; readonly adminOnly?: boolean }[] = [
  { tab: 'active', label: 'Active policy' },
  { tab: 'versions', label: 'Versions' },
  { tab: 'simulator', label: 'Simulator' },
  { tab: 'edit', label: 'Edit', adminOnly: true },
];

/** The policy: what is active, its history, a simulator, and (for the admin) the editor. */
export function PolicyPage({ tab }: { readonly tab: PolicyTab }) {
  useDocumentTitle('Policy');
  const user = useUser();
  const isAdmin = user.role === 'admin';
  const active = useApiData('policy', (api, signal) => api.get<ActivePolicy>('/v1/policy', { signal }));
  return (
    <div className="page">
      <h1>Policy</h1>
      <nav className="subnav" aria-label="Policy">
        <ul>
          {TABS.filter((item) => !item.adminOnly || isAdmin).map((item) => (
            <li key={item.tab}>
              <Link
                to={item.tab === 'active' ? '/policy' : `/policy/${item.tab}`}
                aria-current={item.tab === tab ? 'page' : undefined}
              >
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'active' ? <ActivePolicyView state={active.state} onRetry={active.reload} /> : null}
      {tab === 'versions' ? <PolicyVersions /> : null}
      {tab === 'simulator' ? <PolicySimulator /> : null}
      {tab === 'edit' && !isAdmin ? <p>Only the admin can apply a new policy version.</p> : null}
      {tab === 'edit' && isAdmin ? (
        active.state.status === 'ready' ? (
          <PolicyEditor active={active.state.data} onApplied={active.reload} />
        ) : active.state.status === 'error' ? (
          <ErrorState error={active.state.error} onRetry={active.reload} />
        ) : (
          <LoadingState label="Loading the policy…" />
        )
      ) : null}
    </div>
  );
}
