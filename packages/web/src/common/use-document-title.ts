import { useEffect } from 'react';

/** Names the tab after the page: `Queue · Gatehouse`. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title === '' ? 'Gatehouse' : `${title} · Gatehouse`;
  }, [title]);
}
