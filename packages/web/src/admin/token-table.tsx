import type { TokenMetadata } from '../api/api-types.js';
import { formatDateTime } from '../common/format-time.js';
import { ScrollRegion } from '../common/scroll-region.js';

/** API tokens (metadata only), each revocable while live. */
export function TokenTable({
  tokens,
  onRevoke,
  busy,
  label,
}: {
  readonly tokens: readonly TokenMetadata[];
  readonly onRevoke: (token: TokenMetadata) => void;
  readonly busy: boolean;
  readonly label: string;
}) {
  if (tokens.length === 0) return <p>No tokens.</p>;
  return (
    <ScrollRegion label={label}>
      <table className="table">
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Prefix</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <td>
                <code>{token.prefix}</code>
              </td>
              <td className="cell-wrap">{token.scopes.join(', ')}</td>
              <td>{formatDateTime(token.createdAt)}</td>
              <td>{token.lastUsedAt === undefined ? 'never' : formatDateTime(token.lastUsedAt)}</td>
              <td>
                {token.revokedAt !== undefined
                  ? `revoked ${formatDateTime(token.revokedAt)}`
                  : token.expiresAt !== undefined
                    ? `expires ${formatDateTime(token.expiresAt)}`
                    : 'active'}
              </td>
              <td>
                {token.revokedAt === undefined ? (
                  <button
                    type="button"
                    className="button button-quiet-danger"
                    disabled={busy}
                    onClick={() => onRevoke(token)}
                    aria-label={`Revoke token ${token.prefix}`}
                  >
                    Revoke
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
