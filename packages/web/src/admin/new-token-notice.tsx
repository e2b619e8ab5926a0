import type { IssuedToken } from '../api/api-types.js';
import { CopyButton } from '../common/copy-button.js';

/** A token just issued: shown this once, with a copy button. */
export function NewTokenNotice({
  issued,
  onDismiss,
}: {
  readonly issued: IssuedToken;
  readonly onDismiss: () => void;
}) {
  return (
    <div className="notice notice-warning new-token" role="status">
      <p>
        <strong>Copy this token now.</strong> It is shown only once; Gatehouse keeps only its hash.
      </p>
      <p>
        <code className="token-text" data-testid="new-token">
          {issued.token}
        </code>
      </p>
      <p className="hint">
        Prefix <code>{issued.prefix}</code>, scopes {issued.scopes.join(', ')}
        {issued.expiresAt === undefined ? ', no expiry' : `, expires ${issued.expiresAt}`}.
      </p>
      <div className="actions-row">
        <CopyButton text={issued.token} label="Copy token" />
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
