import { plural, shortTime, sourceText, type AlertLike } from './alert-text';
import { safeText, severityLabel, tlpLabel, type Colors } from './colors';

/** The events `tocsin watch` prints on stdout (one line each); connection news goes to stderr. */
export const PRINTED_EVENTS = [
  'alert',
  'alert-updated',
  'alert-revoked',
  'sighting',
  'coordinated-alert',
  'coordinated-alert-updated',
  'coordinated-alert-withdrawn',
  'constituency-hit',
] as const;
export type PrintedEvent = (typeof PRINTED_EVENTS)[number];

interface CoordinatedLike {
  readonly id?: string;
  readonly status?: string;
  readonly tlp?: string;
  readonly orgCount?: number;
  readonly reportCount?: number;
  readonly countries?: readonly string[];
  readonly sharedIndicators?: readonly string[];
}

/** What a printed event may carry (each event has some of these). */
export interface WatchPayload {
  readonly seq?: number;
  readonly alert?: AlertLike & { readonly revision?: number; readonly confidence?: number | null };
  readonly alertId?: string;
  readonly reason?: string;
  readonly type?: string;
  readonly indicator?: string | null;
  readonly reporter?: { readonly country?: string };
  readonly sightingCount?: number;
  readonly falsePositiveCount?: number;
  readonly coordinatedAlert?: CoordinatedLike;
  readonly coordinatedAlertId?: string;
  readonly matchCount?: number;
  readonly countries?: readonly string[];
  readonly indicators?: readonly { readonly value?: string; readonly matched?: { readonly value?: string } }[];
  readonly subscriptions?: readonly string[];
}

function coordinatedText(ca: CoordinatedLike | undefined): string {
  if (!ca) {
    return '?';
  }
  return [
    `${plural(ca.orgCount ?? 0, 'organisation')} in ${safeText((ca.countries ?? []).join(', ') || '?')}`,
    plural(ca.reportCount ?? 0, 'report'),
    plural(ca.sharedIndicators?.length ?? 0, 'shared indicator'),
    safeText(ca.status ?? ''),
    ca.id ?? '',
  ]
    .filter((s) => s !== '')
    .join(' · ');
}

/**
 * One human line for an event, e.g.
 * `#12 2026-11-28 08:12:10Z HIGH TLP:AMBER Emotet C2 wave · FR trusted (CERT-FR) · 2 indicators · <id>`.
 */
export function renderWatchEvent(name: PrintedEvent, p: WatchPayload, c: Colors): string {
  const seq = c.dim(`#${p.seq ?? '?'}`);
  switch (name) {
    case 'alert': {
      const a = p.alert;
      if (!a) {
        return `${seq} alert`;
      }
      return [
        `${seq} ${c.dim(shortTime(a.publishedAt ?? a.submittedAt))} ${severityLabel(c, a.severity)} ${tlpLabel(c, a.tlp)} ${c.bold(safeText(a.title))}`,
        sourceText(a.source),
        plural(a.indicatorCount ?? 0, 'indicator'),
        c.dim(a.id),
      ].join(' · ');
    }
    case 'alert-updated':
      return `${seq} ${c.cyan('updated')} ${c.bold(safeText(p.alert?.title))} · revision ${p.alert?.revision ?? '?'} · ${severityLabel(c, p.alert?.severity)}${typeof p.alert?.confidence === 'number' ? ` · confidence ${p.alert.confidence}` : ''} · ${c.dim(p.alert?.id ?? '?')}`;
    case 'alert-revoked':
      return `${seq} ${c.red('revoked')} ${c.dim(p.alertId ?? '?')}: ${safeText(p.reason)}`;
    case 'sighting':
      return `${seq} ${c.cyan(safeText(p.type ?? 'sighting'))} of ${c.dim(p.alertId ?? '?')}${p.indicator ? ` (${safeText(p.indicator)})` : ''} from ${safeText(p.reporter?.country ?? '?')} · ${p.sightingCount ?? 0} sightings, ${p.falsePositiveCount ?? 0} false positives`;
    case 'coordinated-alert':
      return `${seq} ${c.magenta(c.bold('⧉ COORDINATED'))} ${tlpLabel(c, p.coordinatedAlert?.tlp)} ${coordinatedText(p.coordinatedAlert)}`;
    case 'coordinated-alert-updated':
      return `${seq} ${c.magenta('⧉ coordinated updated')} ${tlpLabel(c, p.coordinatedAlert?.tlp)} ${coordinatedText(p.coordinatedAlert)}`;
    case 'coordinated-alert-withdrawn':
      return `${seq} ${c.magenta('⧉ coordinated withdrawn')} ${c.dim(p.coordinatedAlertId ?? '?')}`;
    case 'constituency-hit': {
      const sample = (p.indicators ?? [])
        .slice(0, 3)
        .map((i) => `${safeText(i.value)} in ${safeText(i.matched?.value)}`)
        .join(', ');
      const countries = p.countries && p.countries.length > 0 ? ` · countries ${safeText(p.countries.join(', '))}` : '';
      return `${seq} ${c.red(c.bold('⚑ CONSTITUENCY HIT'))} ${c.dim(p.alertId ?? '?')} · ${plural(p.matchCount ?? 0, 'match', 'matches')}${sample ? `: ${sample}` : ''}${countries}`;
    }
  }
}

/** One NDJSON line: `{"event":"alert","seq":12,"alert":{…}}` (always one line, always parses). */
export function watchJsonLine(name: string, payload: object): string {
  return JSON.stringify({ event: name, ...payload });
}
