import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import './i18n/i18n';
import './app.css';

const started = performance.now();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
// The browser tests read this mark to log the first meaningful paint (docs/web.md).
(window as unknown as { __hukouBoot: number }).__hukouBoot = started;
