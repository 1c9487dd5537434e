import { Injectable } from '@nestjs/common';
import { PublishLogRepository, type Tx } from '@tocsin/db';
import type { CoordinatedSnapshot, SnapshotPart } from '@tocsin/domain';
import { CoordinatedAlertRepository } from './coordinated-alert.repository';
import { reportSpan, snapshotToJson } from './coordinated-snapshot';

/**
 * The one way a version of a coordinated alert comes to be (created, joined, withdrawn from, closed): its stored row
 * (status, version, report span, snapshot) and its `coordinated` publish-log entry, written together in the
 * caller's transaction, so the two never disagree. `trigger` is the report the entry names.
 */
@Injectable()
export class CoordinatedVersions {
  constructor(
    private readonly coordinated: CoordinatedAlertRepository,
    private readonly publishLog: PublishLogRepository,
  ) {}

  /** Returns the entry's seq. */
  async record(
    snapshot: CoordinatedSnapshot,
    trigger: Pick<SnapshotPart, 'alertId' | 'tlp' | 'sourceOrgId'>,
    tx: Tx,
    close?: { reason: string; at: Date },
  ): Promise<number> {
    const payload = snapshotToJson(snapshot);
    await this.coordinated.update(
      snapshot.id,
      { status: snapshot.status, version: snapshot.version, ...reportSpan(snapshot), snapshot: payload, close },
      tx,
    );
    return this.publishLog.append(
      {
        event: 'coordinated',
        alertId: trigger.alertId,
        coordinatedAlertId: snapshot.id,
        tlp: trigger.tlp,
        sourceOrgId: trigger.sourceOrgId,
        recipients: [],
        payload,
      },
      tx,
    );
  }
}
