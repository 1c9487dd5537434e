import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A member's subscription: the filters of part of the feed it wants (several per org), and its server-kept cursor,
 * the highest seq a client acknowledged for it (monotonic; starts at the publish log's head when created).
 */
@Entity('subscriptions')
@Index('subscriptions_org_id_created_at', ['orgId', 'createdAt'])
export class SubscriptionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  orgId!: string;

  @Column('text', { nullable: true })
  name!: string | null;

  /** The filters as accepted (see SubscriptionFilter in libs/domain). */
  @Column('jsonb', { default: () => "'{}'" })
  filters!: Record<string, unknown>;

  @Column('bigint', { default: 0 })
  ackedSeq!: string;

  @Column('timestamptz', { nullable: true })
  ackedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
