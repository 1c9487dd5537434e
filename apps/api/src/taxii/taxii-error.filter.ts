import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { TAXII_MEDIA_TYPE, taxiiErrorMessage } from '@tocsin/domain';
import { requestIdOf, toProblem, type ProblemDocument } from '@tocsin/platform';
import type { Request, Response } from 'express';

/** `WWW-Authenticate` of a TAXII 401: clients that only answer a challenge (as RFC 7617 lets them) then send Basic. */
export const TAXII_CHALLENGE = 'Basic realm="tocsin"';

/** Is this a TAXII request (its errors are TAXII error messages, not problem documents)? */
export function isTaxiiPath(req: Request): boolean {
  return req.path === '/taxii2' || req.path.startsWith('/taxii2/');
}

/** Sends a TAXII body with exactly this media type (a Buffer: Express adds no charset parameter to it). */
export function sendTaxiiBody(res: Response, mediaType: string, body: unknown): void {
  res.setHeader('Content-Type', mediaType);
  res.send(Buffer.from(JSON.stringify(body), 'utf8'));
}

/** Writes a TAXII error message (TAXII 2.1 §3.6.1) for a problem document: same status, code and request id. */
export function sendTaxiiError(res: Response, doc: ProblemDocument): void {
  if (doc.status === 401) {
    res.setHeader('WWW-Authenticate', TAXII_CHALLENGE);
  }
  const details =
    doc.errors && doc.errors.length > 0
      ? Object.fromEntries(doc.errors.slice(0, 20).map((e) => [e.pointer, e.detail]))
      : undefined;
  const body = taxiiErrorMessage(doc.status, doc.title, doc.detail, doc.type.split(':').pop(), doc.instance, details);
  res.status(doc.status);
  sendTaxiiBody(res, TAXII_MEDIA_TYPE, body);
}

/** TAXII routes answer errors as TAXII error messages, not problem documents; the mapping is the ProblemFilter's. */
@Catch()
export class TaxiiErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('TaxiiErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      return;
    }
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) {
      return;
    }
    sendTaxiiError(res, toProblem(exception, requestIdOf(ctx.getRequest<Request>()), this.log));
  }
}
