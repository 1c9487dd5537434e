import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Where `npm run build` puts the console (Vite: apps/console → dist/console), from the built or the source tree. */
const CANDIDATES = [
  resolve(__dirname, '../../../../console'), // dist/apps/api/src/http → dist/console
  resolve(__dirname, '../../../../dist/console'), // apps/api/src/http (sources, under vitest) → dist/console
];

export function consoleDir(): string | null {
  return CANDIDATES.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/**
 * The console's own headers: a strict CSP (bundled script and style from this origin only, no inline script, no
 * framing), no sniffing, no referrer. The app talks only to this origin (REST and socket.io).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}

/**
 * Serves the web console at /console/ (its assets, and index.html for every other GET below it: the app routes by
 * path) and redirects / there. When the console was not built, /console/ falls through to the API's 404.
 */
export function serveConsole(app: INestApplication): void {
  const dir = consoleDir();
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.path === '/') {
      res.redirect(302, '/console/');
      return;
    }
    // An invite link (`/invite#<token>`): the browser keeps the fragment across the redirect.
    if (req.method === 'GET' && req.path === '/invite') {
      res.redirect(302, '/console/invite');
      return;
    }
    next();
  });
  app.use('/console', securityHeaders);
  if (dir === null) {
    return;
  }
  // Hashed asset names never change: cache them for long; index.html is always revalidated.
  app.use(
    '/console/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  app.use('/console', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    if (req.originalUrl === '/console') {
      res.redirect(301, '/console/');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}
