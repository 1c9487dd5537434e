import type { AlertStage, TransitionName } from '@tocsin/domain';
import { Conflict } from '@tocsin/platform';

/**
 * A lifecycle transition the alert may not take from where it is (ALERT_LIFECYCLE), or one whose row is no longer in
 * the stage the caller read (`moved`): refused, nothing written. Thrown inside the caller's transaction, so what
 * else it wrote there rolls back too.
 */
export class IllegalTransition extends Conflict {
  constructor(
    readonly alertId: string,
    readonly transition: TransitionName,
    readonly from: AlertStage,
    readonly moved = false,
  ) {
    super(
      'illegal-transition',
      moved
        ? `the alert is no longer ${from}: ${transition} was not applied`
        : `an alert in stage ${from} cannot take the transition ${transition}`,
    );
  }
}
