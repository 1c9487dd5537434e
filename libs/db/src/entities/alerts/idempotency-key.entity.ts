import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The first answer to a submission sent with an `Idempotency-Key`, per organisation and key, written in the
 * transaction of the alert it answers; replayed to a retry with the same fingerprint until `expiresAt`.
 */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn('uuid')
  orgId!: string;

  @PrimaryColumn('text')
  key!: string;

  /** SHA-256 (hex) of the body bytes, media type and query of the first submission. */
  @Column('text')
  fingerprint!: string;

  /** The answer's body, as first sent (json keeps its key order, unlike jsonb). */
  @Column('json')
  response!: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Index('idempotency_keys_expires_at')
  @Column('timestamptz')
  expiresAt!: Date;
}
