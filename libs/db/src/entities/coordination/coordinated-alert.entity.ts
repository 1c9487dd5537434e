import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * One coordinated alert: reports of one threat from several organisations and countries. `snapshot` is its
 * latest version with every linked report (what per-recipient views are built from); each version is also in
 * the publish log.
 */
@Entity('coordinated_alerts')
@Check('coordinated_alerts_status_check', `"status" IN ('active', 'closed')`)
@Index(['lastReport', 'id'])
export class CoordinatedAlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  status!: string;

  @Column('integer')
  version!: number;

  @Column('timestamptz')
  firstReport!: Date;

  @Column('timestamptz')
  lastReport!: Date;

  @Column('jsonb')
  snapshot!: Record<string, unknown>;

  @Column('text', { nullable: true })
  closeReason!: string | null;

  @Column('timestamptz', { nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
