import { safeText, severityLabel, statusLabel, tlpLabel, type Colors } from './colors';
import { renderFields, renderTable } from './table';

/** The fields of an alert the CLI shows (REST views and socket payloads both have them). */
export interface AlertLike {
  readonly id: string;
  readonly title?: string | null;
  readonly description?: string | null;
  readonly severity?: string | null;
  readonly tlp?: string | null;
  readonly status?: string | null;
  readonly statusReason?: string | null;
  readonly seq?: number | null;
  readonly indicatorCount?: number | null;
  readonly rejectedCount?: number | null;
  readonly warningCount?: number | null;
  readonly sourceFormat?: string | null;
  readonly submittedAt?: string | null;
  readonly publishedAt?: string | null;
  readonly classification?: { readonly taxonomy?: string; readonly type?: string } | null;
  readonly source?: SourceLike | null;
  readonly countries?: readonly string[] | null;
  readonly sectors?: readonly string[] | null;
  readonly references?: readonly string[] | null;
  readonly validUntil?: string | null;
  readonly confidence?: number | null;
  readonly revision?: number | null;
  readonly sightingCount?: number | null;
  readonly falsePositiveCount?: number | null;
  readonly review?: { readonly decision?: string; readonly reason?: string; readonly at?: string } | null;
  readonly linkedAlerts?: readonly {
    readonly alertId: string;
    readonly country?: string | null;
    readonly sharedCount?: number;
    readonly source?: SourceLike;
  }[];
}

export interface SourceLike {
  readonly attribution?: string;
  readonly country?: string | null;
  readonly trustBand?: string | null;
  readonly org?: { readonly id?: string | null; readonly name?: string | null } | null;
}

/** `FR trusted (CERT-FR)`, or `DE member (anonymous)`. */
export function sourceText(source: SourceLike | null | undefined): string {
  if (!source) {
    return '?';
  }
  const who = source.org?.name ? safeText(source.org.name) : source.attribution === 'anonymous' ? 'anonymous' : '';
  return `${safeText(source.country ?? '?')} ${safeText(source.trustBand ?? '?')}${who ? ` (${who})` : ''}`;
}

/** `2026-11-28 08:12:10Z` from an ISO time; the input as it is when it does not parse. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) {
    return '-';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? safeText(iso)
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, 'Z');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The alerts table of `alerts list` and `review list`. */
export function renderAlertTable(alerts: readonly AlertLike[], c: Colors, color: boolean): string {
  return renderTable(
    ['id', 'submitted', 'status', 'severity', 'TLP', 'title', 'source', 'indicators'],
    alerts.map((a) => [
      a.id,
      shortTime(a.submittedAt),
      statusLabel(c, a.status),
      severityLabel(c, a.severity),
      tlpLabel(c, a.tlp),
      safeText(a.title).slice(0, 80),
      sourceText(a.source),
      a.indicatorCount ?? 0,
    ]),
    color,
  );
}

/** `alerts show`: every field worth reading, then the linked alerts. */
export function renderAlertDetail(a: AlertLike, c: Colors, color: boolean): string {
  const fields: [string, string][] = [
    ['id', a.id],
    ['title', safeText(a.title)],
    ['status', statusLabel(c, a.status) + (a.statusReason ? ` — ${safeText(a.statusReason)}` : '')],
    ['severity', severityLabel(c, a.severity)],
    ['TLP', tlpLabel(c, a.tlp)],
    ['source', sourceText(a.source)],
    ['seq', a.seq === null || a.seq === undefined ? '-' : String(a.seq)],
    ['submitted', shortTime(a.submittedAt)],
    [
      'indicators',
      `${a.indicatorCount ?? 0} accepted, ${a.rejectedCount ?? 0} rejected, ${a.warningCount ?? 0} warning-listed`,
    ],
  ];
  if (a.classification?.taxonomy) {
    fields.push([
      'classification',
      safeText(`${a.classification.taxonomy}${a.classification.type ? `/${a.classification.type}` : ''}`),
    ]);
  }
  if (a.countries && a.countries.length > 0) {
    fields.push(['countries', safeText(a.countries.join(', '))]);
  }
  if (a.sectors && a.sectors.length > 0) {
    fields.push(['sectors', safeText(a.sectors.join(', '))]);
  }
  if (typeof a.confidence === 'number') {
    fields.push(['confidence', String(a.confidence)]);
  }
  if (typeof a.revision === 'number' && a.revision > 1) {
    fields.push(['revision', String(a.revision)]);
  }
  if ((a.sightingCount ?? 0) > 0 || (a.falsePositiveCount ?? 0) > 0) {
    fields.push([
      'feedback',
      `${plural(a.sightingCount ?? 0, 'sighting')}, ${plural(a.falsePositiveCount ?? 0, 'false positive')}`,
    ]);
  }
  if (a.validUntil) {
    fields.push(['valid until', shortTime(a.validUntil)]);
  }
  if (a.sourceFormat) {
    fields.push(['format', safeText(a.sourceFormat)]);
  }
  if (a.review?.decision) {
    fields.push(['review', safeText(`${a.review.decision}: ${a.review.reason ?? ''}`)]);
  }
  if (a.description) {
    fields.push(['description', safeText(a.description).slice(0, 2000)]);
  }
  let out = renderFields(fields, color);
  if (a.linkedAlerts && a.linkedAlerts.length > 0) {
    out +=
      '\n' +
      c.bold(`Linked alerts of other organisations (${a.linkedAlerts.length})`) +
      '\n' +
      renderTable(
        ['alert', 'source', 'shared indicators'],
        a.linkedAlerts.map((l) => [
          l.alertId,
          sourceText(l.source ?? { country: l.country ?? null }),
          l.sharedCount ?? 0,
        ]),
        color,
      );
  }
  return out;
}

/** One line for a submission's outcome: `published`, `held for review`, `rejected: reason`. */
export function outcomeText(a: AlertLike, c: Colors): string {
  switch (a.status ?? '') {
    case 'published':
      return `${c.green('published')} (seq ${a.seq ?? '?'}, ${plural(a.indicatorCount ?? 0, 'indicator')})`;
    case 'pending_review':
      return `${c.yellow('held for review')}${a.statusReason ? `: ${safeText(a.statusReason)}` : ''}`;
    case 'rejected':
    case 'revoked':
      return `${c.red(safeText(a.status))}${a.statusReason ? `: ${safeText(a.statusReason)}` : ''}`;
    default:
      return safeText(a.status ?? 'unknown');
  }
}

export { plural };
