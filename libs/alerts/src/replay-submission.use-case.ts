import { Injectable } from '@nestjs/common';
import { mayPerform, type Actor, type IdempotencyClaim } from '@tocsin/domain';
import { Forbidden } from '@tocsin/platform';
import { IdempotencyRepository } from './idempotency.repository';

/**
 * Before a submission sent with an `Idempotency-Key` is read: the first answer to that key (same fingerprint),
 * to be sent again and nothing created; null when there is none; 422 when the key was used for another body.
 */
@Injectable()
export class ReplaySubmissionUseCase {
  constructor(private readonly idempotency: IdempotencyRepository) {}

  async execute(actor: Actor, claim: IdempotencyClaim): Promise<{ answer: unknown } | null> {
    if (!mayPerform(actor, 'alert.submit')) {
      throw new Forbidden('this key may not submit alerts (role operator required)');
    }
    return this.idempotency.replayable(actor.orgId, claim);
  }
}
