import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrgEntity } from '../orgs/org.entity';

/**
 * An organisation's constituency, in canonical form (see libs/domain/src/constituency): one row per org that set
 * one. `version` grows by one on every change, so each gateway knows when its matcher index is stale.
 */
@Entity('constituencies')
export class ConstituencyEntity {
  @PrimaryColumn('uuid')
  orgId!: string;

  @OneToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'constituencies_org_fk' })
  org?: OrgEntity;

  /** ISO 3166-1 alpha-2. */
  @Column('text', { array: true, default: () => "'{}'" })
  countries!: string[];

  /** `AS<n>`. */
  @Column('text', { array: true, default: () => "'{}'" })
  asns!: string[];

  /** CIDR blocks reduced to their network, IPv4 and IPv6. */
  @Column('text', { array: true, default: () => "'{}'" })
  cidrs!: string[];

  /** Lower-case punycode; each covers its subdomains. */
  @Column('text', { array: true, default: () => "'{}'" })
  domains!: string[];

  @Column('integer', { default: 1 })
  version!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
