import { useEffect, useRef } from 'react';

/** What the queue's keys do. */
export interface QueueKeyboardActions {
  readonly next: () => void;
  readonly previous: () => void;
  readonly open: () => void;
  readonly approve: () => void;
  readonly deny: () => void;
  readonly help: () => void;
}

/** Whether a key press belongs to something else: typing in a field, a dialog, a shortcut of the browser. */
function belongsElsewhere(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return true;
  if (document.querySelector('dialog[open]') !== null) return true;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The queue's shortcuts: j/k move, Enter opens, a approves, d denies, ? shows help. Keys
 * typed into a field or a dialog are left alone; Enter on a focused link is the browser's.
 */
export function useQueueKeyboard(actions: QueueKeyboardActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (belongsElsewhere(event)) return;
      const act = latest.current;
      const handlers: Readonly<Record<string, () => void>> = {
        j: act.next,
        k: act.previous,
        a: act.approve,
        d: act.deny,
        '?': act.help,
      };
      const handler = handlers[event.key];
      if (handler !== undefined) {
        event.preventDefault();
        handler();
        return;
      }
      // Enter on a focused row link follows the link natively; elsewhere it opens the selection.
      if (
        event.key === 'Enter' &&
        !(event.target instanceof HTMLAnchorElement || event.target instanceof HTMLButtonElement)
      ) {
        event.preventDefault();
        act.open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
