// Must stay the first import: zod is told not to use `new Function` (strict CSP) before any schema exists.
import './app/zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './ui/app.css';
import { App } from './app/App';
import { registerServiceWorker } from './app/offlineCache';
import { applyColorScheme } from './features/connexion/Cadre';

applyColorScheme();
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
