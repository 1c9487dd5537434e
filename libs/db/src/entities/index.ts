import { AlertEntity } from './alerts/alert.entity';
import { AlertLinkEntity } from './alerts/alert-link.entity';
import { CoordinatedAlertEntity } from './coordination/coordinated-alert.entity';
import { CoordinatedPartEntity } from './coordination/coordinated-part.entity';
import { SightingEntity } from './alerts/sighting.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { IndicatorEntity } from './alerts/indicator.entity';
import { IdempotencyKeyEntity } from './alerts/idempotency-key.entity';
import { PublishLogEntity } from './delivery/publish-log.entity';
import { ConstituencyEntity } from './delivery/constituency.entity';
import { SubscriptionEntity } from './delivery/subscription.entity';
import { ApiKeyEntity } from './orgs/api-key.entity';
import { OrgEntity } from './orgs/org.entity';
import { OutboxEntity } from './outbox/outbox.entity';
import { TaxiiStatusEntity } from './taxii/taxii-status.entity';
import { UserEntity } from './users/user.entity';
import { RecoveryCodeEntity } from './users/recovery-code.entity';
import { SessionEntity } from './users/session.entity';

export {
  AlertLinkEntity,
  CoordinatedAlertEntity,
  CoordinatedPartEntity,
  SightingEntity,
  AuditEntryEntity,
  AlertEntity,
  IndicatorEntity,
  PublishLogEntity,
  ConstituencyEntity,
  ApiKeyEntity,
  OrgEntity,
  OutboxEntity,
  IdempotencyKeyEntity,
  SubscriptionEntity,
  TaxiiStatusEntity,
  UserEntity,
  RecoveryCodeEntity,
  SessionEntity,
};
export type { TaxiiStatusObjectColumn } from './taxii/taxii-status.entity';
export const ENTITIES = [
  SightingEntity,
  AuditEntryEntity,
  OrgEntity,
  ApiKeyEntity,
  AlertEntity,
  IndicatorEntity,
  PublishLogEntity,
  OutboxEntity,
  AlertLinkEntity,
  CoordinatedAlertEntity,
  CoordinatedPartEntity,
  ConstituencyEntity,
  IdempotencyKeyEntity,
  SubscriptionEntity,
  TaxiiStatusEntity,
  UserEntity,
  RecoveryCodeEntity,
  SessionEntity,
];
