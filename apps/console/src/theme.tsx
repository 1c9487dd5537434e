// Light and dark themes: the system's preference (prefers-color-scheme) by default; the toggle's choice, once made,
// is kept in localStorage and set as data-theme on <html>, which styles.css reads.
import { useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

const THEME_KEY = 'tocsin.console.theme';

function storedTheme(): Theme | null {
  const v = localStorage.getItem(THEME_KEY);
  return v === 'light' || v === 'dark' ? v : null;
}

function systemTheme(): Theme {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies a stored choice before the first render, so the page does not flash the other theme. */
export function applyStoredTheme(): void {
  const t = storedTheme();
  if (t !== null) {
    document.documentElement.dataset.theme = t;
  }
}

/** A labelled toggle button: pressed when the dark theme is on. */
export function ThemeToggle(): React.JSX.Element {
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());

  useEffect(() => {
    // Without a stored choice, follow the system as it changes.
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const on = (): void => {
      if (storedTheme() === null) {
        setTheme(systemTheme());
      }
    };
    media.addEventListener('change', on);
    return () => media.removeEventListener('change', on);
  }, []);

  return (
    <button
      type="button"
      aria-pressed={theme === 'dark'}
      onClick={() => {
        const next: Theme = theme === 'dark' ? 'light' : 'dark';
        localStorage.setItem(THEME_KEY, next);
        document.documentElement.dataset.theme = next;
        setTheme(next);
      }}
    >
      Dark theme
    </button>
  );
}
