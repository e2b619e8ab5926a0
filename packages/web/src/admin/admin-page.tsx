import { Link } from '../app/link.js';
import type { AdminSection } from '../app/routes.js';
import { useDocumentTitle } from '../common/use-document-title.js';
import { isStaff, useUser } from '../session/use-session.js';
import { PrincipalTokens } from './agent-tokens.js';
import { AgentsPanel } from './agents-panel.js';
import { EmergencyPanel } from './emergency-panel.js';
import { GroupsPanel } from './groups-panel.js';
import { TeamsPanel } from './teams-panel.js';
import { UsersPanel } from './users-panel.js';

const SECTIONS: readonly { readonly section: AdminSection; readonly label: string }[] = [
  { section: 'users', label: 'Users' },
  { section: 'teams', label: 'Teams' },
  { section: 'groups', label: 'Approval groups' },
  { section: 'agents', label: 'Agents' },
  { section: 'tokens', label: 'Your tokens' },
  { section: 'emergency', label: 'Emergency' },
];

/** Administration: what each role may manage (the server refuses the rest and says why). */
export function AdminPage({ section }: { readonly section: AdminSection }) {
  useDocumentTitle('Administration');
  const me = useUser();
  return (
    <div className="page">
      <h1>Administration</h1>
      <nav className="subnav" aria-label="Administration">
        <ul>
          {SECTIONS.map((item) => (
            <li key={item.section}>
              <Link
                to={`/admin/${item.section}`}
                aria-current={item.section === section ? 'page' : undefined}
              >
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'users' ? <UsersPanel me={me} /> : null}
      {section === 'teams' ? <TeamsPanel me={me} /> : null}
      {section === 'groups' ? <GroupsPanel me={me} /> : null}
      {section === 'agents' ? <AgentsPanel /> : null}
      {section === 'tokens' ? (
        <section className="card" aria-labelledby="my-tokens-title">
          <h2 id="my-tokens-title">Your API tokens</h2>
          <p className="hint">
            For the CLI and scripts acting as you. They never hold more than your role allows.
          </p>
          <PrincipalTokens />
        </section>
      ) : null}
      {section === 'emergency' ? (
        isStaff(me) ? (
          <EmergencyPanel me={me} />
        ) : (
          <p>Only the admin and moderators can see emergency windows.</p>
        )
      ) : null}
    </div>
  );
}
