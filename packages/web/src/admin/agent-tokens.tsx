import { useState } from 'react';
import type { Agent, IssuedToken, TokenMetadata } from '../api/api-types.js';
import { ErrorState, LoadingState } from '../common/status-views.js';
import { useApiData } from '../common/use-api-data.js';
import { useApi } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { NewTokenNotice } from './new-token-notice.js';
import { TokenTable } from './token-table.js';
import { useAction } from './use-action.js';

/**
 * Tokens of one principal: an agent's (`agent` given) or my own. A new token's text is
 * shown once; revoking one refuses it at once.
 */
export function PrincipalTokens({ agent }: { readonly agent?: Agent }) {
  const api = useApi();
  const action = useAction();
  const [issued, setIssued] = useState<IssuedToken | undefined>();
  const key = agent === undefined ? 'tokens:me' : `tokens:agent:${agent.id}`;
  const query = agent === undefined ? {} : { agentId: agent.id };
  const data = useApiData(key, (client, signal) =>
    client.get<{ tokens: TokenMetadata[] }>('/v1/tokens', { query, signal }),
  );
  const who = agent === undefined ? 'your' : `${agent.name}’s`;

  const create = async () => {
    await action.run(async () => {
      setIssued(
        await api.post<IssuedToken>('/v1/tokens', { body: agent === undefined ? {} : { agentId: agent.id } }),
      );
      data.reload();
    });
  };
  const revoke = async (token: TokenMetadata) => {
    if (await action.run(() => api.delete(`/v1/tokens/${encodeURIComponent(token.id)}`))) data.reload();
  };

  return (
    <div className="tokens">
      {issued === undefined ? null : (
        <NewTokenNotice issued={issued} onDismiss={() => setIssued(undefined)} />
      )}
      <ActionError error={action.error} />
      {data.state.status === 'loading' ? <LoadingState label="Loading tokens…" /> : null}
      {data.state.status === 'error' ? <ErrorState error={data.state.error} onRetry={data.reload} /> : null}
      {data.state.status === 'ready' ? (
        <TokenTable
          tokens={data.state.data.tokens}
          busy={action.busy}
          onRevoke={(token) => void revoke(token)}
          label={`Tokens of ${agent === undefined ? 'yours' : agent.name}`}
        />
      ) : null}
      <button type="button" className="button" disabled={action.busy} onClick={() => void create()}>
        New token for {who === 'your' ? 'yourself' : agent?.name}
      </button>
    </div>
  );
}
