// Light, dark or the system's preference (the default), kept in localStorage; styles.css reads data-theme on <html>.
import { useState } from 'react';

export type Theme = 'system' | 'light' | 'dark';
const KEY = 'pg_theme';

function stored(): Theme {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** Applies the stored choice; called before the first render so the page does not flash. */
export function applyTheme(theme: Theme = stored()) {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(stored);
  return [theme, (t) => {
    if (t === 'system') localStorage.removeItem(KEY); else localStorage.setItem(KEY, t);
    applyTheme(t);
    setTheme(t);
  }];
}
