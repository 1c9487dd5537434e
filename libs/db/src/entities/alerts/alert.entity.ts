import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrgEntity } from '../orgs/org.entity';

@Entity('alerts')
@Check('alerts_tlp_check', `"tlp" IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')`)
@Check('alerts_severity_check', `"severity" IN ('low', 'medium', 'high', 'critical')`)
@Check('alerts_confidence_check', '"confidence" BETWEEN 0 AND 100')
@Check('alerts_source_format_check', `"source_format" IN ('native', 'stix', 'misp', 'csv', 'intelmq')`)
@Check(
  'alerts_status_check',
  `"status" IN ('queued', 'normalized', 'pending_review', 'published', 'rejected', 'revoked')`,
)
@Check('alerts_attribution_check', `"attribution" IN ('named', 'anonymous')`)
@Index(['status', 'updatedAt'])
@Index('alerts_uncorrelated_idx', { synchronize: false })
// Newest-first paging and free-text search of GET /api/v1/alerts (migration AlertSearch).
@Index('alerts_submitted_idx', { synchronize: false })
@Index('alerts_search_idx', { synchronize: false })
// The last 24 hours of published alerts, for GET /api/v1/stats (migration AlertsPublishedIndex).
@Index('alerts_published_at_idx', { synchronize: false })
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  sourceOrgId!: string;

  @ManyToOne(() => OrgEntity)
  @JoinColumn({ name: 'source_org_id' })
  sourceOrg?: OrgEntity;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text')
  severity!: string;

  @Column('text')
  tlp!: string;

  /** `named` or `anonymous`: whether recipients are told which org sent it (anonymous: country and trust band only). */
  @Column('text', { default: 'named' })
  attribution!: string;

  /** True when neither the document nor the query gave a TLP and the hub applied its default (AMBER). */
  @Column('boolean', { default: false })
  tlpDefaulted!: boolean;

  /** 0–100, the sender's confidence when its format carries one. */
  @Column('smallint', { nullable: true })
  confidence!: number | null;

  /** RSIT taxonomy class and type. */
  @Column('text', { nullable: true })
  classificationTaxonomy!: string | null;

  @Column('text', { nullable: true })
  classificationType!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  sectors!: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  countries!: string[];

  @Column('timestamptz', { nullable: true })
  firstSeen!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastSeen!: Date | null;

  @Column('timestamptz', { nullable: true })
  validUntil!: Date | null;

  @Column('text', { array: true, default: () => "'{}'" })
  references!: string[];

  /** Parts of the submitted document the hub could not use, reported to the submitter ({pointer, detail}). */
  @Column('jsonb', { default: () => "'[]'" })
  unsupported!: { pointer: string; detail: string; line?: number }[];

  @Column('integer', { default: 0 })
  warningCount!: number;

  @Column('timestamptz', { nullable: true })
  publishedAt!: Date | null;

  @Column('integer', { default: 0 })
  sightingCount!: number;

  @Column('integer', { default: 0 })
  falsePositiveCount!: number;

  /** Bumped by each update the submitter makes after publication. */
  @Column('integer', { default: 1 })
  revision!: number;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @Column('text', { nullable: true })
  revokeReason!: string | null;

  /** A reviewer's decision on a pending alert: approve or reject, with its reason. */
  @Column('text', { nullable: true })
  reviewDecision!: string | null;

  @Column('text', { nullable: true })
  reviewReason!: string | null;

  @Column('timestamptz', { nullable: true })
  reviewedAt!: Date | null;

  @Column('uuid', { nullable: true })
  reviewedByOrgId!: string | null;

  @Column('uuid', { nullable: true })
  reviewedByKeyId!: string | null;

  @Column('uuid', { array: true, default: () => "'{}'" })
  recipients!: string[];

  @Column('text')
  status!: string;

  @Column('text', { nullable: true })
  statusReason!: string | null;

  /** Set by vetting (or a reviewer): publishing requires it. */
  @Column('boolean', { default: false })
  approved!: boolean;

  @Column('text')
  sourceFormat!: string;

  @Column('integer', { default: 0 })
  indicatorCount!: number;

  @Column('integer', { default: 0 })
  rejectedCount!: number;

  @Column('bigint', { nullable: true })
  publishedSeq!: string | null;

  @Column('text', { nullable: true })
  requestId!: string | null;

  /** When correlation (links, corroboration, coordinated alerts) ran after publication; null until then. */
  @Column('timestamptz', { nullable: true })
  correlatedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  submittedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
