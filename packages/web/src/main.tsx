import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import './styles/app.css';
import { applyThemePreference, readThemePreference } from './theme/theme-preference.js';

// Before the first render, so a dark-theme reader never sees a light flash.
applyThemePreference(readThemePreference());

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
