// Must stay the first import: zod is told not to use `new Function` (strict CSP) before any schema exists.
import './app/zodConfig';
import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './ui/app.css';
import { App } from './app/App';

startReactDsfr({ defaultColorScheme: 'system' });

// Web host only: the service worker keeps the app shell for offline reloads (Electron loads from app://).
if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.hostname === '127.0.0.1' || location.hostname === 'localhost')) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => undefined);
  });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
