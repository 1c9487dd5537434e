import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotentReplay, ReplaySubmissionUseCase } from '@tocsin/alerts';
import {
  bodySha256,
  parseIdempotencyKey,
  submissionFingerprint,
  type Actor,
  type IdempotencyClaim,
} from '@tocsin/domain';
import { Invalid, Unauthorized } from '@tocsin/platform';
import type { Request, Response } from 'express';
import { catchError, from, type Observable, of, switchMap, throwError } from 'rxjs';
import type { HashedRequest } from '../http/configure-http';

type KeyedRequest = HashedRequest & { actor?: Actor; idempotency?: IdempotencyClaim };

/** Marks an answer sent again for a retried `Idempotency-Key` (as Stripe's `Idempotent-Replayed`). */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * `Idempotency-Key` on a submission (draft-ietf-httpapi-idempotency-key-header): a key already answered for the
 * same body, media type and query gets that answer again and nothing is created; for another body, 422; while
 * its twin is being committed, 409. The claim is handed to the use-case, which records the answer in the alert's
 * own transaction. Without the header the submission goes through untouched.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly replay: ReplaySubmissionUseCase) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<KeyedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = parseIdempotencyKey(req.headers['idempotency-key']);
    if (!key.ok) {
      throw new Invalid(key.error, 'invalid-idempotency-key', 'the Idempotency-Key header is invalid');
    }
    if (key.value === null) {
      return next.handle();
    }
    if (!req.actor) {
      throw new Unauthorized();
    }
    const claim: IdempotencyClaim = {
      key: key.value,
      fingerprint: submissionFingerprint({
        bodySha256: req.bodySha256 ?? bodySha256(undefined),
        contentType: req.headers['content-type'],
        query: req.query,
      }),
    };
    req.idempotency = claim;
    const replayed = (answer: unknown): Observable<unknown> => {
      res.setHeader(REPLAYED_HEADER, 'true');
      return of(answer);
    };
    return from(this.replay.execute(req.actor, claim)).pipe(
      switchMap((prior) =>
        prior
          ? replayed(prior.answer)
          : next
              .handle()
              .pipe(
                catchError((e: unknown) => (e instanceof IdempotentReplay ? replayed(e.answer) : throwError(() => e))),
              ),
      ),
    );
  }
}

/** The submission's idempotency claim, set by IdempotencyInterceptor (null without an `Idempotency-Key`). */
export const IdempotencyClaimOf = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): IdempotencyClaim | null =>
    ctx.switchToHttp().getRequest<Request & { idempotency?: IdempotencyClaim }>().idempotency ?? null,
);

/** Makes a submission route honour `Idempotency-Key`; read the claim with `@IdempotencyClaimOf()`. */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        '1–255 printable ASCII characters, per organisation: a retry with the same key and submission within 24 h ' +
        'gets the first answer again (Idempotent-Replayed: true) and creates nothing; another submission is a 422.',
    }),
  );
