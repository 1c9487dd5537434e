import { Injectable } from '@nestjs/common';
import type { Tx } from '@tocsin/db';
import { AuditRepository, type AuditEntry } from './audit.repository';

/** Lets other contexts record a change to an organisation in the audit trail, inside their own transaction. */
@Injectable()
export class AuditTrail {
  constructor(private readonly audit: AuditRepository) {}

  record(e: Omit<AuditEntry, 'id' | 'at'>, tx: Tx): Promise<void> {
    return this.audit.append(e, tx);
  }
}
