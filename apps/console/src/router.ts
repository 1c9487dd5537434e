import { useEffect, useState } from 'react';

export const BASE = '/console/';

/** Moves to a console path (history API; the hub answers every /console/* path with the app). */
export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const on = (): void => setPath(window.location.pathname);
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return path;
}

/** A link that moves inside the app without a reload (a plain link for new tabs and modified clicks). */
export function onLinkClick(e: React.MouseEvent<HTMLAnchorElement>): void {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
    return;
  }
  e.preventDefault();
  navigate(e.currentTarget.getAttribute('href') ?? BASE);
}
