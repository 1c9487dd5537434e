import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AlertEntity } from './alert.entity';

/**
 * Two alerts of different organisations that share canonical indicators (warning-listed ones and ones past the
 * correlation limit left out). Stored in both directions, so either alert finds its links by primary key.
 */
@Entity('alert_links')
export class AlertLinkEntity {
  @PrimaryColumn('uuid')
  alertId!: string;

  @Index()
  @PrimaryColumn('uuid')
  linkedAlertId!: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'alert_links_alert_fk' })
  alert?: AlertEntity;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'linked_alert_id', foreignKeyConstraintName: 'alert_links_linked_alert_fk' })
  linkedAlert?: AlertEntity;

  /** How many keys the two alerts share. */
  @Column('integer')
  sharedCount!: number;

  /** The shared `type:value` keys, sorted, at most TOCSIN_CORRELATION_MAX_LINK_KEYS of them. */
  @Column('text', { array: true })
  sharedKeys!: string[];

  /** True once the linked alert has raised this alert's confidence (each corroborating org counts once). */
  @Column('boolean', { default: false })
  counted!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
