import type { ReactNode } from 'react';

/**
 * A box that scrolls sideways on narrow screens (tables, code). It is focusable and named,
 * so keyboard users can scroll it too.
 */
export function ScrollRegion({
  label,
  children,
  className,
}: {
  readonly label: string;
  readonly children: ReactNode;
  readonly className?: string;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className={`scroll-region ${className ?? ''}`} aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
