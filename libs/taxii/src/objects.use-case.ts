import { Injectable } from '@nestjs/common';
import { ExportAlertUseCase } from '@tocsin/alerts';
import { CoordinatedAlertsUseCase } from '@tocsin/coordination';
import { PublishLogRepository } from '@tocsin/db';
import { ConstituencyRouter, facetsFromPayload } from '@tocsin/delivery';
import {
  encodeTaxiiNext,
  type TaxiiPage,
  matchesFilter,
  mayReceive,
  parseTaxiiQuery,
  taxiiRowMatches,
  taxiiRowsOfAlert,
  type Actor,
  type TaxiiQuery,
  type TaxiiQueryKind,
  type TaxiiRow,
} from '@tocsin/domain';
import { Invalid, NotFound } from '@tocsin/platform';
import type { CollectionScope } from './collections';
import { TaxiiCollectionsUseCase } from './collections.use-case';
import { TaxiiLogRepository, type TaxiiLogEntry } from './taxii-log.repository';

/** Publish-log entries read per round trip while filling a page. */
const SCAN_BATCH = 500;
/**
 * Entries one request looks at, at most: past it the page ends early, with `more` and a `next` that resumes after
 * them (a collection whose objects are few and far apart answers in several short pages, never a long scan).
 */
const MAX_SCANNED = 20_000;
/** The index past any object of an entry: a position after the whole entry. */
const END_OF_ENTRY = 999_999_999;

const STIX_ID = /^[a-z0-9][a-z0-9-]{0,249}--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The objects of a collection (TAXII 2.1 §5.3–§5.8): each alert entry of the publish log the caller may see
 * (mayReceive, the one policy) and the collection holds is a version of the alert's STIX export. Paged by position
 * in the log, so `next` and `added_after` both resume exactly after the last object returned, while new entries
 * keep arriving after it.
 */
@Injectable()
export class TaxiiObjectsUseCase {
  constructor(
    private readonly collections: TaxiiCollectionsUseCase,
    private readonly log: TaxiiLogRepository,
    private readonly publishLog: PublishLogRepository,
    private readonly exporter: ExportAlertUseCase,
    private readonly constituency: ConstituencyRouter,
    private readonly coordinated: CoordinatedAlertsUseCase,
  ) {}

  /**
   * A page of object versions. `objectId` (object and versions endpoints) narrows to one object: an id that is
   * not a STIX id, or one the caller may not see any version of, is 404 (as a missing one).
   */
  async page(
    actor: Actor,
    collectionId: string,
    kind: TaxiiQueryKind,
    params: readonly (readonly [string, string])[],
    objectId?: string,
  ): Promise<TaxiiPage> {
    const { scope } = await this.collections.resolve(actor, collectionId);
    const parsed = parseTaxiiQuery(params, kind);
    if (!parsed.ok) {
      throw new Invalid(parsed.error, 'invalid-query');
    }
    let q: TaxiiQuery = parsed.value;
    if (objectId !== undefined) {
      if (!STIX_ID.test(objectId)) {
        throw new NotFound('object');
      }
      q = { ...q, ids: new Set([objectId]), types: null };
    }
    const page = await this.fill(actor, scope, q);
    // 404 only once the whole collection was looked at (a long log may answer first with an empty page and `more`).
    if (objectId !== undefined && page.rows.length === 0 && !page.more && q.next === null && q.addedAfter === null) {
      throw new NotFound('object');
    }
    return page;
  }

  /**
   * The alerts whose export serves this object id in the collection, in any version the filters keep (`match[version]`,
   * `match[spec_version]`, as the object endpoint reads them; default: every version). Follows `next` to the end.
   */
  async alertsServing(
    actor: Actor,
    collectionId: string,
    objectId: string,
    filters: readonly (readonly [string, string])[],
  ): Promise<string[]> {
    const params = filters.some(([k]) => k === 'match[version]')
      ? filters
      : [...filters, ['match[version]', 'all'] as const];
    const out = new Set<string>();
    let next: string | null = null;
    for (;;) {
      const page = await this.page(
        actor,
        collectionId,
        'object',
        next === null ? params : [...params, ['next', next] as const],
        objectId,
      ).catch((e: unknown) => {
        if (e instanceof NotFound) {
          return null;
        }
        throw e;
      });
      for (const row of page?.rows ?? []) {
        out.add(row.alertId);
      }
      if (!page?.more || page.next === null) {
        return [...out];
      }
      next = encodeTaxiiNext(page.next);
    }
  }

  private async fill(actor: Actor, scope: CollectionScope, q: TaxiiQuery): Promise<TaxiiPage> {
    let from = Math.max(q.next?.seq ?? 0, q.addedAfter === null ? 0 : await this.log.seqAtOrBefore(q.addedAfter));
    const out: TaxiiRow[] = [];
    let scanned = 0;
    for (;;) {
      const batch = await this.log.scan(actor.orgId, from, SCAN_BATCH, scope.kind === 'own');
      const last = batch[batch.length - 1];
      if (!last) {
        return { rows: out, more: false, next: null };
      }
      scanned += batch.length;
      const entries = await this.inScope(actor, scope, batch);
      for (const row of await this.rowsOf(actor, entries)) {
        if (!taxiiRowMatches(row, q)) {
          continue;
        }
        if (out.length === q.limit) {
          const end = out[out.length - 1];
          return { rows: out, more: true, next: end ? end.position : null };
        }
        out.push(row);
      }
      if (batch.length < SCAN_BATCH) {
        return { rows: out, more: false, next: null };
      }
      if (scanned >= MAX_SCANNED) {
        return { rows: out, more: true, next: { seq: last.seq, index: END_OF_ENTRY } };
      }
      from = last.seq + 1;
    }
  }

  /** The entries the caller may see (the one policy) that the collection holds. */
  private async inScope(
    actor: Actor,
    scope: CollectionScope,
    batch: readonly TaxiiLogEntry[],
  ): Promise<TaxiiLogEntry[]> {
    const visible = batch.filter((e) => mayReceive(e, { id: actor.orgId, trustLevel: actor.trustLevel }));
    if (scope.kind === 'constituency') {
      // Constituency routing's own decision on the alert's `alert` entry (updates and revocations follow it).
      const published = await this.publishLog.alertEntriesOf([...new Set(visible.map((e) => e.alertId))]);
      const hits = await this.constituency.hitsForSubscriber(
        published,
        { orgId: actor.orgId, trustLevel: actor.trustLevel },
        new Date(),
      );
      const hit = new Set(published.filter((e) => hits.has(e.seq)).map((e) => e.alertId));
      return visible.filter((e) => hit.has(e.alertId));
    }
    if (scope.kind === 'coordinated') {
      // The caller's own view of each coordinated alert decides, as on REST and the socket.
      const held = await this.coordinated.reportsInView(actor, [...new Set(visible.map((e) => e.alertId))]);
      return visible.filter((e) => held.has(e.alertId));
    }
    if (scope.kind !== 'subscription') {
      return visible;
    }
    // An update or revocation follows its alert's match, as live delivery does: the facets of the alert as published.
    const facets = await this.publishLog.alertFacets([...new Set(visible.map((e) => e.alertId))]);
    const wanted = new Set(
      facets.filter((f) => matchesFilter(scope.filters, facetsFromPayload(f.payload, f.types))).map((f) => f.alertId),
    );
    return visible.filter((e) => wanted.has(e.alertId));
  }

  /** The rows of these entries, in log order (each alert's versions computed from all its entries). */
  private async rowsOf(actor: Actor, entries: readonly TaxiiLogEntry[]): Promise<TaxiiRow[]> {
    const alertIds = [...new Set(entries.map((e) => e.alertId))];
    const versions = await this.log.versionsOf(alertIds);
    const bySeq = new Map<number, TaxiiRow[]>();
    const bases = await this.exporter.publishedExportables(actor, alertIds);
    for (const [id, base] of bases) {
      for (const row of taxiiRowsOfAlert(base, versions.get(id) ?? [])) {
        const list = bySeq.get(row.position.seq) ?? [];
        list.push(row);
        bySeq.set(row.position.seq, list);
      }
    }
    return entries.flatMap((e) => bySeq.get(e.seq) ?? []);
  }
}
