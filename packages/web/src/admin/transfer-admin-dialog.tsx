import { useRef } from 'react';
import type { DirectoryUser } from '../api/api-types.js';
import { Dialog } from '../common/dialog.js';
import { useApi, useSession } from '../session/use-session.js';
import { ActionError } from './action-error.js';
import { useAction } from './use-action.js';

/** Hands the one admin seat to another user, after saying what that means. */
export function TransferAdminDialog({
  to,
  onClose,
}: {
  readonly to: DirectoryUser;
  readonly onClose: () => void;
}) {
  const api = useApi();
  const { endSession } = useSession();
  const action = useAction();
  const keep = useRef<HTMLButtonElement>(null);
  const transfer = async () => {
    const ok = await action.run(() => api.post('/v1/admin/transfer', { body: { userId: to.id } }));
    // The seat moved: this session's admin powers are gone, so start afresh with the new role.
    if (ok) endSession('expired');
  };
  return (
    <Dialog
      open
      title="Hand over the admin seat"
      onClose={onClose}
      className="dialog-danger"
      initialFocus={keep}
    >
      <p>
        <strong>{to.username}</strong> becomes the admin, and you become a moderator. There is always exactly
        one admin; only the new admin can hand the seat back.
      </p>
      <ActionError error={action.error} />
      <div className="dialog-actions">
        <button type="button" className="button" ref={keep} onClick={onClose}>
          Keep the seat
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={action.busy}
          onClick={() => void transfer()}
        >
          Make {to.username} the admin
        </button>
      </div>
    </Dialog>
  );
}
