import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AlertEntity } from './alert.entity';

/** A recipient's feedback on an alert or one of its indicators: seen it (sighting), or a false positive. */
@Entity('sightings')
@Check('sightings_type_check', `"type" IN ('sighting', 'false-positive')`)
@Index('sightings_once_key', ['alertId', 'orgId', 'type', 'indicatorPosition'], { unique: true })
export class SightingEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  alertId!: string;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'sightings_alert_fk' })
  alert?: AlertEntity;

  @Column('uuid')
  orgId!: string;

  @Column('uuid')
  keyId!: string;

  @Column('text')
  type!: string;

  /** The indicator's position in the alert, or -1 for the alert as a whole. */
  @Column('integer', { default: -1 })
  indicatorPosition!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
