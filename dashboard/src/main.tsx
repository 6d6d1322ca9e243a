import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { applyTheme } from './lib/theme';

applyTheme();

createRoot(document.getElementById('root')!).render(<App />);
// The first frame after the first render: the e2e tests read this mark to check the load time.
requestAnimationFrame(() => setTimeout(() => performance.mark('papergao-ready'), 0));
