import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrgEntity } from '../orgs/org.entity';

@Entity('alerts')
@Check('alerts_tlp_check', `"tlp" IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')`)
@Check('alerts_severity_check', `"severity" IN ('low', 'medium', 'high', 'critical')`)
@Check('alerts_status_check', `"status" IN ('queued', 'normalized', 'pending_review', 'published', 'rejected')`)
@Index(['status', 'updatedAt'])
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  sourceOrgId!: string;

  @ManyToOne(() => OrgEntity)
  @JoinColumn({ name: 'source_org_id' })
  sourceOrg?: OrgEntity;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text')
  severity!: string;

  @Column('text')
  tlp!: string;

  @Column('uuid', { array: true, default: () => "'{}'" })
  recipients!: string[];

  @Column('text')
  status!: string;

  @Column('text', { nullable: true })
  statusReason!: string | null;

  /** Set by vetting (or a reviewer): publishing requires it. */
  @Column('boolean', { default: false })
  approved!: boolean;

  @Column('text')
  sourceFormat!: string;

  @Column('integer', { default: 0 })
  indicatorCount!: number;

  @Column('integer', { default: 0 })
  rejectedCount!: number;

  @Column('bigint', { nullable: true })
  publishedSeq!: string | null;

  @Column('text', { nullable: true })
  requestId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  submittedAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
