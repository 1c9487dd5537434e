import { Inject, Injectable } from '@nestjs/common';
import {
  exportMispEvent,
  exportStixBundle,
  exportableSource,
  mayPerform,
  mayReceive,
  sourceView,
  sourceViewerOf,
  type Actor,
  type CanonicalIndicator,
  type ExportableAlert,
  type IndicatorFlag,
  type SourceViewer,
} from '@tocsin/domain';
import { APP_CONFIG, type AppConfig, Forbidden, Invalid, NotFound } from '@tocsin/platform';
import { AlertRepository, type AlertRecord, type IndicatorRow } from './alert.repository';
import { attributedSource } from './alert-view';
import { mayView, reviewerMinTrust } from './get-alert.use-case';

export const EXPORT_FORMATS = ['stix', 'misp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const PAGE = 10_000;

/** Any alert the caller may see, out in the format its own tools read: a STIX 2.1 bundle or a MISP event. */
@Injectable()
export class ExportAlertUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(actor: Actor, id: string, format: unknown): Promise<{ mediaType: string; document: object }> {
    if (!mayPerform(actor, 'alert.read')) {
      throw new Forbidden();
    }
    if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new Invalid(
        [{ pointer: '?format', detail: `must be one of ${EXPORT_FORMATS.join(', ')}` }],
        'invalid-query',
      );
    }
    const a = await this.alerts.findForViewer(id);
    if (!a || !mayView(actor, a, reviewerMinTrust(this.config))) {
      throw new NotFound('alert');
    }
    const alert = await this.exportable(
      a,
      sourceViewerOf(actor, a.status === 'pending_review' && a.sourceOrgId !== actor.orgId),
    );
    return format === 'stix'
      ? { mediaType: 'application/stix+json;version=2.1', document: exportStixBundle(alert) }
      : { mediaType: 'application/misp+json', document: exportMispEvent(alert) };
  }

  /**
   * Published (or since revoked) alerts as exporters take them, for a reader of the publish log (TAXII): the caller
   * has already decided, with mayReceive on the log entries, that this organisation may see them; checked again
   * here. Two reads for all of them (alerts, then indicators); a missing or never published one is left out.
   */
  async publishedExportables(actor: Actor, ids: readonly string[]): Promise<Map<string, ExportableAlert>> {
    const out = new Map<string, ExportableAlert>();
    const records = (await this.alerts.findManyForViewer(ids)).filter(
      (a) => a.publishedAt !== null && mayReceive(a, { id: actor.orgId, trustLevel: actor.trustLevel }),
    );
    const indicators = await this.alerts.findAllIndicatorsOf(records.map((a) => a.id));
    for (const a of records) {
      out.set(a.id, toExportable(a, sourceViewerOf(actor), canonical(indicators.get(a.id) ?? [])));
    }
    return out;
  }

  private async exportable(a: AlertRecord, viewer: SourceViewer): Promise<ExportableAlert> {
    const rows: IndicatorRow[] = [];
    for (let after = -1; ;) {
      const page = await this.alerts.findIndicators(a.id, after, PAGE, undefined, true);
      rows.push(...page);
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) {
        break;
      }
      after = last.position;
    }
    return toExportable(a, viewer, canonical(rows));
  }
}

/** The accepted indicators of an alert, as exporters take them. */
function canonical(rows: readonly IndicatorRow[]): CanonicalIndicator[] {
  const out: CanonicalIndicator[] = [];
  for (const r of rows) {
    if (r.type && r.canonicalValue !== null) {
      out.push({
        type: r.type,
        rawValue: r.rawValue,
        canonicalValue: r.canonicalValue,
        flags: r.flags as IndicatorFlag[],
        rejection: null,
        warning: r.warning,
      });
    }
  }
  return out;
}

function toExportable(a: AlertRecord, viewer: SourceViewer, indicators: CanonicalIndicator[]): ExportableAlert {
  // The creator the document names goes through sourceView: an anonymous alert's export names no org.
  const source = sourceView(attributedSource(a), viewer);
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    severity: a.severity,
    confidence: a.confidence,
    tlp: a.tlp,
    classification: a.classification,
    sourceOrg: exportableSource(source),
    submittedAt: a.submittedAt,
    publishedAt: a.publishedAt,
    validUntil: a.validUntil,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    references: a.references,
    indicators,
  };
}
