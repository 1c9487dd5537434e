import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgEntity } from '../orgs/org.entity';

/**
 * A person of one organisation, with one of the roles keys have. The e-mail is stored lower-cased and is unique
 * across the hub. The password is an argon2id PHC string; the invite token only as SHA-256. A user is never
 * deleted (the audit trail names it): it is disabled.
 */
@Entity('users')
@Check('users_role_check', `"role" IN ('admin', 'vetter', 'operator', 'reader')`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  orgId!: string;

  @ManyToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: OrgEntity;

  @Index({ unique: true })
  @Column('text')
  email!: string;

  @Column('text', { nullable: true })
  name!: string | null;

  @Column('text')
  role!: string;

  /** argon2id, PHC string format; null until the invite is used. */
  @Column('text', { nullable: true })
  passwordHash!: string | null;

  /** SHA-256 of the pending one-time invite token; null once used. */
  @Index({ unique: true })
  @Column('bytea', { nullable: true })
  inviteHash!: Buffer | null;

  @Column('timestamptz', { nullable: true })
  inviteExpiresAt!: Date | null;

  /** The confirmed TOTP secret (base32); null without a second factor. */
  @Column('text', { nullable: true })
  totpSecret!: string | null;

  /** A TOTP secret offered by enrolment, not yet confirmed. */
  @Column('text', { nullable: true })
  totpPendingSecret!: string | null;

  /** The last TOTP time step accepted: a code is never accepted twice. */
  @Column('bigint', { nullable: true })
  totpLastStep!: string | null;

  @Column('timestamptz', { nullable: true })
  disabledAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
