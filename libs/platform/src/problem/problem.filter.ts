import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorFacts } from '../logging/error-facts';
import { AppError } from './app-error';
import { problem, problemFromAppError, type ProblemDocument } from './problem';

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string' && 'expose' in e;
}

/** Maps any error to an RFC 9457 problem document; the stack of an unknown one goes to the log only. */
export function toProblem(e: unknown, requestId: string | undefined, log: Logger): ProblemDocument {
  if (e instanceof AppError) {
    return problemFromAppError(e, requestId);
  }
  if (isBodyParserError(e)) {
    switch (e.type) {
      case 'entity.too.large':
        return problem(
          413,
          'too-large',
          'Payload too large',
          `the body exceeds the limit of ${e.limit ?? '?'} bytes`,
          requestId,
        );
      case 'entity.parse.failed':
        return problem(400, 'invalid-json', 'Invalid JSON', 'the body is not valid JSON', requestId);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return problem(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'unsupported charset or encoding',
          requestId,
        );
      case 'request.aborted':
      case 'request.size.invalid':
        return problem(400, 'invalid-request', 'Invalid request', 'the body was incomplete', requestId);
      default:
        return problem(
          e.status ?? 400,
          'invalid-request',
          'Invalid request',
          'the request body could not be read',
          requestId,
        );
    }
  }
  if (e instanceof HttpException) {
    const status = e.getStatus();
    if (status === 404) {
      return problem(404, 'route-not-found', 'Not found', 'no such route', requestId);
    }
    // A framework error of another status keeps its status under a registered code.
    const code =
      status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status >= 500 ? 'internal' : 'invalid-request';
    return problem(status, code, e.name.replace(/Exception$/, ''), e.message, requestId);
  }
  // Class, message (for a database error: its SQLSTATE code and constraint) and request id; never the query or body.
  log.error({ error: errorFacts(e, true), requestId }, 'unhandled error');
  return problem(500, 'internal', 'Internal error', 'an unexpected error occurred; quote the instance id', requestId);
}

export function requestIdOf(req: Request): string | undefined {
  const id = (req as Request & { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      return;
    }
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const doc = toProblem(exception, requestIdOf(req), this.log);
    if (res.headersSent) {
      return;
    }
    res.status(doc.status).type('application/problem+json').send(JSON.stringify(doc));
  }
}
