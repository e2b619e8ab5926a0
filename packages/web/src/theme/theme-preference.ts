/** The reviewer's theme choice; `system` follows `prefers-color-scheme`. */
export type ThemePreference = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'gatehouse.theme';

/** The stored choice (`system` when none, or storage is unavailable). */
export function readThemePreference(): ThemePreference {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

/**
 * Applies a choice to the page (`data-theme` on `<html>`, which the stylesheet reads) and
 * remembers it. Applied from the bundle before the first render: no inline script is allowed.
 */
export function applyThemePreference(preference: ThemePreference): void {
  const root = document.documentElement;
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
  try {
    if (preference === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, preference);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
