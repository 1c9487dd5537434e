import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Jobs written in the same transaction as the state they act on; the relay moves them into BullMQ. */
@Entity('outbox')
@Index('outbox_available_idx', ['availableAt', 'id'])
export class OutboxEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text')
  queue!: string;

  @Column('text')
  jobName!: string;

  @Column('text')
  jobId!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('text', { nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** When the relay may take the row: at once, or after a grace period for a job the api hands to BullMQ itself. */
  @Column('timestamptz', { default: () => 'now()' })
  availableAt!: Date;
}
