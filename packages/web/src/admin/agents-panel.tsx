import { useState } from 'react';
import type { Agent } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { PrincipalTokens } from './agent-tokens.js';
import { CreateAgentForm } from './create-agent-form.js';
import { useAction } from './use-action.js';

/** Agents, their owners, and their tokens. */
export function AgentsPanel() {
  const api = useApi();
  const action = useAction();
  const [openTokens, setOpenTokens] = useState<string | undefined>();
  const data = useApiData('agents', (client, signal) =>
    client.get<{ agents: Agent[] }>('/v1/agents', { signal }),
  );
  const toggle = async (agent: Agent) => {
    const path = `/v1/agents/${encodeURIComponent(agent.id)}/${agent.disabled ? 'enable' : 'disable'}`;
    if (await action.run(() => api.post(path))) data.reload();
  };
  return (
    <>
      <section className="card" aria-labelledby="new-agent-title">
        <h2 id="new-agent-title">New agent</h2>
        <p className="hint">
          An agent is a non-human requester. Its owner cannot approve its requests. Give it a token below once
          created.
        </p>
        <CreateAgentForm onCreated={data.reload} />
      </section>
      <ActionError error={action.error} />
      {data.state.status === 'loading' ? <LoadingState label="Loading agents…" /> : null}
      {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={data.reload} /> : null}
      {data.state.status === 'ready' && data.state.data.agents.length === 0 ? (
        <p>No agents you can see.</p>
      ) : null}
      {data.state.status === 'ready'
        ? data.state.data.agents.map((agent) => (
            <section key={agent.id} className="card" aria-label={`Agent ${agent.name}`} data-agent={agent.id}>
              <div className="card-head">
                <h2>
                  {agent.name} {agent.disabled ? <span className="badge badge-denied">disabled</span> : null}
                </h2>
                <div className="actions-row">
                  <button
                    type="button"
                    className="button"
                    aria-expanded={openTokens === agent.id}
                    onClick={() => setOpenTokens(openTokens === agent.id ? undefined : agent.id)}
                  >
                    Tokens
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={action.busy}
                    onClick={() => void toggle(agent)}
                  >
                    {agent.disabled ? 'Enable' : 'Disable'}
                  </button>
                </div>
              </div>
              <p className="hint">
                Owned by {agent.owner.kind} <code>{agent.owner.id}</code>, created{' '}
                {formatDateTime(agent.createdAt)}.
              </p>
              {openTokens === agent.id ? <PrincipalTokens agent={agent} /> : null}
            </section>
          ))
        : null}
    </>
  );
}
