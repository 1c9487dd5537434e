import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The publish log: one row per published event, `seq` hub-wide and strictly increasing in commit order
 * (assigned under an advisory lock held to commit). Replay reads it; the gateways tail it.
 */
@Entity('publish_log')
export class PublishLogEntity {
  @PrimaryColumn('bigint')
  seq!: string;

  @Column('text')
  event!: string;

  @Index()
  @Column('uuid')
  alertId!: string;

  /** For a coordinated-alert entry: the coordinated alert (alertId is then the report that changed it). */
  @Index()
  @Column('uuid', { nullable: true })
  coordinatedAlertId!: string | null;

  @Column('text')
  tlp!: string;

  @Column('uuid')
  sourceOrgId!: string;

  @Column('uuid', { array: true, default: () => "'{}'" })
  recipients!: string[];

  @Column('jsonb')
  payload!: Record<string, unknown>;

  /** Strictly increasing with seq (TAXII's date_added): indexed so `added_after` finds its place without a scan. */
  @Index()
  @Column('timestamptz', { default: () => 'now()' })
  publishedAt!: Date;
}
