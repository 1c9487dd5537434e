import {
  ALERT_STATUSES,
  TLP_LABELS,
  type Actor,
  type AlertStatus,
  type TlpLabel,
  type TrustLevel,
} from '@tocsin/domain';
import type { AlertRecord } from './alert.repository';
import { mayView } from './get-alert.use-case';

/** An alert's status and TLP label, as `status:TLP` (`published:AMBER`). */
export type StatusTlp = `${AlertStatus}:${TlpLabel}`;

/**
 * Which alerts one caller may see, as three sets of status × TLP pairs: for its own alerts, for alerts naming it
 * as a recipient, and for every other alert. Read off `mayView` itself (the rule of `GET /api/v1/alerts/:id`),
 * which decides from nothing but the status, the label, and whether the caller submitted or is named on the alert.
 */
export interface AlertVisibility {
  readonly orgId: string;
  readonly own: readonly StatusTlp[];
  readonly named: readonly StatusTlp[];
  readonly other: readonly StatusTlp[];
}

/** A placeholder id that is never an organisation's: the submitter of the "other" and "named" probes. */
const SOMEONE_ELSE = '00000000-0000-0000-0000-000000000000';

/** `reviewerMinTrust`: the configured one (reviewerMinTrust(config)), as every mayView caller passes it. */
export function visibilityFor(actor: Actor, reviewerMinTrust: TrustLevel): AlertVisibility {
  const pairs = (sourceOrgId: string, recipients: readonly string[]): StatusTlp[] =>
    ALERT_STATUSES.flatMap((status) =>
      TLP_LABELS.filter((tlp) =>
        mayView(actor, { status, tlp, sourceOrgId, recipients } as AlertRecord, reviewerMinTrust),
      ).map((tlp): StatusTlp => `${status}:${tlp}`),
    );
  const other = actor.orgId === SOMEONE_ELSE ? [] : pairs(SOMEONE_ELSE, []);
  return {
    orgId: actor.orgId,
    own: pairs(actor.orgId, []),
    named: actor.orgId === SOMEONE_ELSE ? [] : pairs(SOMEONE_ELSE, [actor.orgId]),
    other,
  };
}

const ALL = ALERT_STATUSES.length * TLP_LABELS.length;

/**
 * The same rule as one SQL predicate over `alerts` aliased `a`; its values are appended to `params`.
 * `a.status || ':' || a.tlp` is compared with the caller's pairs, chosen by its relation to the alert.
 */
export function visibilitySql(v: AlertVisibility, params: unknown[]): string {
  const set = (pairs: readonly StatusTlp[]): string => {
    if (pairs.length === 0) {
      return 'FALSE';
    }
    if (pairs.length === ALL) {
      return 'TRUE';
    }
    params.push(pairs);
    return `(a.status || ':' || a.tlp) = ANY($${params.length}::text[])`;
  };
  params.push(v.orgId);
  const org = `$${params.length}::uuid`;
  return `(CASE WHEN a.source_org_id = ${org} THEN ${set(v.own)}
              WHEN ${org} = ANY(a.recipients) THEN ${set(v.named)}
              ELSE ${set(v.other)} END)`;
}
