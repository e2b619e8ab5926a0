import { Dialog } from '../common/dialog.js';

/** The queue's keyboard shortcuts. */
export const QUEUE_SHORTCUTS: readonly { readonly keys: string; readonly does: string }[] = [
  { keys: 'j', does: 'Select the next request' },
  { keys: 'k', does: 'Select the previous request' },
  { keys: 'Enter', does: 'Open the selected request' },
  { keys: 'a', does: 'Approve the selected request (asks to confirm; Enter confirms)' },
  { keys: 'd', does: 'Deny the selected request (opens the reason box)' },
  { keys: '?', does: 'Show this help' },
  { keys: 'Esc', does: 'Close a dialog' },
];

/** Lists the shortcuts. */
export function KeyboardHelpDialog({
  open,
  onClose,
}: {
  readonly open: boolean;
  readonly onClose: () => void;
}) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <dl className="shortcuts">
        {QUEUE_SHORTCUTS.map((shortcut) => (
          <div key={shortcut.keys} className="shortcut">
            <dt>
              <kbd>{shortcut.keys}</kbd>
            </dt>
            <dd>{shortcut.does}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
