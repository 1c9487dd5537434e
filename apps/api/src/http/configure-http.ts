import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { bodySha256, JSON_MEDIA_TYPES, TEXT_MEDIA_TYPES } from '@tocsin/domain';
import {
  type AppConfig,
  type ProblemDocument,
  RateLimited,
  UnsupportedMediaType,
  problemFromAppError,
  requestIdOf,
  toProblem,
  trustProxyValue,
} from '@tocsin/platform';
import express, { type NextFunction, type Request, type Response } from 'express';
import { RefusalCache, type RateBucket } from '../auth/rate-buckets';
import { writeRateHeaders } from '../auth/rate-limit-headers';
import { isTaxiiPath, sendTaxiiError } from '../taxii/taxii-error.filter';
import { serveConsole } from './serve-console';

/** Media types the API reads: JSON ones are parsed, text ones (CSV lists, JSON lines) are read as text. */
export const JSON_TYPES = [...JSON_MEDIA_TYPES, 'application/*+json'];
export const TEXT_TYPES = TEXT_MEDIA_TYPES;

function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')
  );
}

/** The rate bucket a request counts against: as `@RateLimit('submissions')` marks the submission routes. */
function bucketOfRequest(req: Request): RateBucket {
  const submits =
    /^\/api\/v1\/alerts\/?$/.test(req.path) || /^\/taxii2\/api\/collections\/[^/]+\/objects\/?$/.test(req.path);
  return req.method === 'POST' && submits ? 'submissions' : 'reads';
}

/** A request whose body bytes were hashed as read (only when it carries an `Idempotency-Key`). */
export type HashedRequest = Request & { bodySha256?: string };

/** Hashes the raw body of a request with an `Idempotency-Key`, as the parser reads it (no copy is kept). */
function hashForIdempotency(req: HashedRequest, _res: unknown, buf: Buffer): void {
  if (req.headers['idempotency-key'] !== undefined) {
    req.bodySha256 = bodySha256(buf);
  }
}

/** A problem document, or on a TAXII path the same error as a TAXII error message. */
function sendProblem(req: Request, res: Response, doc: ProblemDocument): void {
  if (isTaxiiPath(req)) {
    sendTaxiiError(res, doc);
    return;
  }
  res.status(doc.status).type('application/problem+json').send(JSON.stringify(doc));
}

/**
 * Body parsing with a size limit (413), 415 for a body of a type we do not read, and one error handler that
 * turns parser errors into problem documents: malformed input is never a 500.
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  const log = new Logger('Http');
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  server.set('trust proxy', trustProxyValue(config.TOCSIN_TRUST_PROXY));
  serveConsole(app);
  // A credential its organisation's bucket refused moments ago (RefusalCache) is answered 429 here, before its body
  // is read or any lookup is made: a client that floods through its 429s costs the hub almost nothing. Anything not
  // recognised here still meets the same refusal in the guards.
  const refusals = app.get(RefusalCache);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const auth = req.headers.authorization;
    const standing = auth === undefined ? null : refusals.standing(bucketOfRequest(req), auth);
    if (!standing) {
      next();
      return;
    }
    writeRateHeaders(res, standing);
    sendProblem(req, res, problemFromAppError(new RateLimited(standing.retryAfterSeconds), requestIdOf(req)));
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && hasBody(req) && !req.is([...JSON_TYPES, ...TEXT_TYPES])) {
      const e = new UnsupportedMediaType(
        `send the body as one of ${[...JSON_MEDIA_TYPES, ...TEXT_MEDIA_TYPES].join(', ')} ` +
          `(got ${req.headers['content-type'] ?? 'no content type'})`,
      );
      sendProblem(req, res, problemFromAppError(e, requestIdOf(req)));
      return;
    }
    next();
  });
  app.use(
    express.json({ limit: config.TOCSIN_MAX_BODY_BYTES, type: JSON_TYPES, strict: true, verify: hashForIdempotency }),
  );
  app.use(
    express.text({
      limit: config.TOCSIN_MAX_BODY_BYTES,
      type: TEXT_TYPES,
      defaultCharset: 'utf-8',
      verify: hashForIdempotency,
    }),
  );
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    sendProblem(req, res, toProblem(err, requestIdOf(req), log));
  });
}
