import { useId, useState } from 'react';
import { applyThemePreference, readThemePreference, type ThemePreference } from './theme-preference.js';

/** Chooses light, dark, or the system's theme. */
export function ThemeToggle() {
  const [preference, setPreference] = useState<ThemePreference>(readThemePreference);
  const id = useId();
  const choose = (next: ThemePreference) => {
    setPreference(next);
    applyThemePreference(next);
  };
  return (
    <span className="theme-toggle">
      <label htmlFor={id}>Theme</label>
      <select id={id} value={preference} onChange={(event) => choose(event.target.value as ThemePreference)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </span>
  );
}
