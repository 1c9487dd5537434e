import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The audit trail: append-only. A database trigger refuses UPDATE, DELETE and TRUNCATE for every role, the one
 * the hub connects as included, so not even a bug or a stolen database credential of the hub can rewrite it.
 */
@Entity('audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column('text')
  action!: string;

  @Column('uuid')
  actorOrgId!: string;

  /** The API key that acted; null when a signed-in user did (actorUserId). */
  @Column('uuid', { nullable: true })
  actorKeyId!: string | null;

  /** The user that acted, through a session (or about itself: sign-in, password, second factor). */
  @Column('uuid', { nullable: true })
  actorUserId!: string | null;

  @Index()
  @Column('uuid')
  subjectOrgId!: string;

  @Column('jsonb')
  oldValue!: Record<string, unknown>;

  @Column('jsonb')
  newValue!: Record<string, unknown>;

  @Column('text')
  reason!: string;
}
