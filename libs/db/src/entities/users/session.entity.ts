import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * A signed-in user's server-side session. The cookie carries a random token; only its SHA-256 is stored, so a read
 * of this table signs nobody in. Ends when idle too long, at its absolute expiry, or when deleted (sign-out).
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column('bytea')
  tokenHash!: Buffer;

  @Index()
  @Column('uuid')
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  /** Sent back by the client in `X-CSRF-Token` on every state-changing request. */
  @Column('text')
  csrfToken!: string;

  /** A session that may only enrol a second factor (the user's role requires one and it has none yet). */
  @Column('boolean', { default: false })
  enrolmentOnly!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz')
  lastSeenAt!: Date;

  /** The absolute expiry, whatever the activity. */
  @Index()
  @Column('timestamptz')
  expiresAt!: Date;
}
