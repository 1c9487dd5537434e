import { Column, Entity, ManyToOne, JoinColumn, PrimaryColumn } from 'typeorm';
import { AlertEntity } from './alert.entity';

/** One indicator of an alert; (alertId, position) keys it and orders cursor paging. */
@Entity('indicators')
export class IndicatorEntity {
  @PrimaryColumn('uuid')
  alertId!: string;

  @PrimaryColumn('integer')
  position!: number;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id' })
  alert?: AlertEntity;

  @Column('text')
  type!: string;

  @Column('text')
  rawValue!: string;

  @Column('text', { nullable: true })
  canonicalValue!: string | null;

  @Column('text', { nullable: true })
  rejection!: string | null;
}
