import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity';
import { CoordinatedAlertEntity } from './coordinated-alert.entity';

/** A report linked into a coordinated alert, and the version of the coordinated alert it joined at. */
@Entity('coordinated_alert_parts')
export class CoordinatedPartEntity {
  @PrimaryColumn('uuid')
  coordinatedAlertId!: string;

  @Index()
  @PrimaryColumn('uuid')
  alertId!: string;

  @ManyToOne(() => CoordinatedAlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'coordinated_alert_id', foreignKeyConstraintName: 'coordinated_parts_coordinated_fk' })
  coordinatedAlert?: CoordinatedAlertEntity;

  @ManyToOne(() => AlertEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'coordinated_parts_alert_fk' })
  alert?: AlertEntity;

  @Column('integer')
  joinedVersion!: number;

  /** The version at which the report was withdrawn (revoked by its submitter); null while it stands. */
  @Column('integer', { nullable: true })
  leftVersion!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  joinedAt!: Date;
}
