import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { errorFacts } from './error-facts';

/** Never logged: credentials (STYLE.md §7). Titles, descriptions and indicator values are never put in a log call. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.key',
  '*.token',
  '*.secret',
  'auth.token',
  'handshake.auth.token',
];

/** A request's path as logged: no query string, and no invite token (a secret carried in the path). */
export function loggablePath(url: string): string {
  return (url.split('?')[0] ?? '').replace(/^(\/api\/v1\/invites\/)[^/]+/, '$1[redacted]');
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v && REQUEST_ID.test(v) ? v : randomUUID();
}

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage, res) => {
        const id = requestIdFrom(req.headers['x-request-id']);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        // The path only: a query string may carry an alert's title (CSV imports), which is never logged.
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: loggablePath(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        // Any error pino-http logs: its class and code, never a failed query's parameters (see errorFacts).
        err: (e: unknown) => errorFacts(e, true),
      },
      autoLogging: { ignore: (req) => req.url === '/api/v1/health' || req.url === '/metrics' },
    },
  };
}
