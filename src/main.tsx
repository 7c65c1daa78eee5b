import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { initTrainer } from './ui/run/controller';
import { startUrlSync } from './ui/share/url-sync';
import './ui/styles.css';

startUrlSync();
void initTrainer(window.location.search);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
