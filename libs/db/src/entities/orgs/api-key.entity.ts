import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrgEntity } from './org.entity';

@Entity('api_keys')
@Check('api_keys_role_check', `"role" IN ('admin', 'vetter', 'operator', 'reader')`)
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  orgId!: string;

  @ManyToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id' })
  org?: OrgEntity;

  @Column('text')
  role!: string;

  /** The clear, indexed part of the key (`tcs_<lookupId>_<secret>`). */
  @Index({ unique: true })
  @Column('text')
  lookupId!: string;

  /** SHA-256 of the whole key; the key itself is never stored. */
  @Column('bytea')
  keyHash!: Buffer;

  @Column('text', { nullable: true })
  label!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;
}
