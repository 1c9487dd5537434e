import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('orgs')
@Index('orgs_name_lower_key', { synchronize: false })
@Index('orgs_one_hub_key', { synchronize: false })
@Check('orgs_trust_level_check', '"trust_level" BETWEEN 0 AND 4')
@Check('orgs_country_check', '"is_hub" OR "country" IS NOT NULL')
export class OrgEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** ISO 3166-1 alpha-2; null only for the hub's own organisation. */
  @Column('char', { length: 2, nullable: true })
  country!: string | null;

  @Column('text', { nullable: true })
  sector!: string | null;

  @Column('smallint')
  trustLevel!: number;

  @Column('boolean', { default: false })
  isHub!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
