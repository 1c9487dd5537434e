import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One object of a TAXII envelope as its status reports it: refused by the importer (with why), or accepted. */
export interface TaxiiStatusObjectColumn {
  /** The STIX object's id, as the client sent it. */
  readonly id: string;
  /** Its version: `modified`, else `created`, else the request's timestamp (the TAXII 2.1 rule for date-less objects). */
  readonly version: string;
  /** Why it was not added (the importer's reason, or the whole submission's); absent when it went into the alert. */
  readonly refusal?: string;
  /** What of it the hub could not use, when it was added all the same (parts listed in the alert's `unsupported`). */
  readonly note?: string;
}

/**
 * The status resource of one TAXII 2.1 "add objects" request (POST of an envelope to the inbox collection): who
 * sent it, the alert its accepted objects became, and each object's id, version and refusal. Whether an accepted
 * object is pending, a success or a failure is read from the alert's status when the status is asked for, so it
 * follows the pipeline (and survives restarts). Kept until `expiresAt`, then deleted as new ones are stored.
 */
@Entity('taxii_statuses')
@Index('taxii_statuses_objects_idx', { synchronize: false })
export class TaxiiStatusEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** The organisation whose key sent the envelope: the only one that may read the status. */
  @Column('uuid')
  orgId!: string;

  /** The alert the accepted objects became; null when no object was accepted (or the submission was refused). */
  @Column('uuid', { nullable: true })
  alertId!: string | null;

  @Column('timestamptz')
  requestTimestamp!: Date;

  @Column('integer')
  totalCount!: number;

  /** Every object of the envelope, in its order. */
  @Column('jsonb')
  objects!: TaxiiStatusObjectColumn[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Index('taxii_statuses_expires_at')
  @Column('timestamptz')
  expiresAt!: Date;
}
