import { Column, Entity, Index, ManyToOne, JoinColumn, PrimaryColumn } from 'typeorm';
import { AlertEntity } from './alert.entity';

/** One indicator of an alert; (alertId, position) keys it and orders cursor paging. */
@Entity('indicators')
// Correlation looks values up here: accepted, not warning-listed (partial, with alert_id for index-only scans).
@Index('indicators_correlation_idx', { synchronize: false })
// Indicator lookup also finds warning-listed values: this one holds those the correlation index leaves out.
@Index('indicators_warned_lookup_idx', { synchronize: false })
export class IndicatorEntity {
  @PrimaryColumn('uuid')
  alertId!: string;

  @PrimaryColumn('integer')
  position!: number;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id' })
  alert?: AlertEntity;

  /** The canonical type: as sent, or inferred by normalization (null until then when the sender gave none). */
  @Column('text', { nullable: true })
  type!: string | null;

  /** Where the indicator stood in the submitted document (a JSON pointer or `line N`). */
  @Column('text', { nullable: true })
  source!: string | null;

  @Column('text', { nullable: true })
  comment!: string | null;

  /** False when the sender marked it as not for detection (MISP to_ids=false, STIX observed-data). */
  @Column('boolean', { default: true })
  actionable!: boolean;

  @Column('text', { array: true, default: () => "'{}'" })
  flags!: string[];

  @Column('text', { nullable: true })
  warningList!: string | null;

  @Column('text', { nullable: true })
  warningReason!: string | null;

  @Column('text')
  rawValue!: string;

  @Column('text', { nullable: true })
  canonicalValue!: string | null;

  @Column('text', { nullable: true })
  rejection!: string | null;
}
