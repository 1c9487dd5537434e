import { describe, expect, it } from 'vitest';
import { toIndicatorRow, toIndicatorView, type IndicatorColumns } from '@tocsin/alerts';
import {
  exportMispEvent,
  exportStixBundle,
  isActionable,
  MISP_ATTRIBUTE_TYPES,
  type CanonicalIndicator,
} from '@tocsin/domain';
import { exportableSample, fixtureSamples, importSample, normalizeSample } from '../../../test/harness/fixture-alerts';
import { toPushed } from './publish-alert.use-case';

type Pair = string;
const pair = (type: string, value: string): Pair => `${type} ${value}`;

/** The row normalization writes for an indicator (the `actionable` column keeps what the sender said). */
function columns(i: CanonicalIndicator, position: number, senderActionable: boolean): IndicatorColumns {
  return {
    position,
    type: i.type,
    raw_value: i.rawValue,
    canonical_value: i.canonicalValue,
    rejection: i.rejection,
    flags: [...i.flags],
    warning_list: i.warning?.list ?? null,
    warning_reason: i.warning?.reason ?? null,
    source: `/x/${position}`,
    comment: null,
    actionable: senderActionable,
  };
}

/** MISP attribute type → the indicator types it may stand for (ip-dst is ipv4, ipv6 and cidr). */
function mispPairs(event: ReturnType<typeof exportMispEvent>, actionable: boolean, indicators: CanonicalIndicator[]) {
  const byMisp = new Map<string, string>();
  for (const i of indicators) {
    if (i.canonicalValue !== null) {
      const value = i.type === 'asn' ? String(Number(i.canonicalValue.replace(/^AS/i, ''))) : i.canonicalValue;
      byMisp.set(`${MISP_ATTRIBUTE_TYPES[i.type].type} ${value}`, pair(i.type, i.canonicalValue));
    }
  }
  return new Set(
    event.Event.Attribute.filter((a) => a.to_ids === actionable && byMisp.has(`${a.type} ${a.value}`)).map((a) =>
      byMisp.get(`${a.type} ${a.value}`)!,
    ),
  );
}

/** The (type, value) pairs a STIX bundle makes detections of, and those it keeps as observations. */
function stixPairs(bundle: ReturnType<typeof exportStixBundle>, indicators: CanonicalIndicator[]) {
  const accepted = indicators.filter((i) => i.canonicalValue !== null);
  const actionable = new Set<Pair>();
  const observed = new Set<Pair>();
  const objects = bundle.objects as readonly Record<string, any>[];
  for (const i of accepted) {
    const v = i.canonicalValue!;
    if (i.type === 'cve') {
      const vuln = objects.find((o) => o.type === 'vulnerability' && o.name === v);
      const ext = vuln && (Object.values(vuln.extensions ?? {})[0] as { actionable?: boolean } | undefined);
      (ext?.actionable ? actionable : observed).add(pair(i.type, v));
      continue;
    }
    const quoted = `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const asNumber = i.type === 'asn' ? String(Number(v.replace(/^AS/i, ''))) : null;
    const asPattern = (o: Record<string, any>) =>
      o.type === 'indicator' &&
      (asNumber !== null
        ? o.pattern === `[autonomous-system:number = ${asNumber}]`
        : String(o.pattern).endsWith(` = ${quoted}]`));
    if (objects.some(asPattern)) {
      actionable.add(pair(i.type, v));
    }
    const asSco = (o: Record<string, any>) =>
      o.value === v ||
      (asNumber !== null && o.type === 'autonomous-system' && String(o.number) === asNumber) ||
      (o.type === 'file' && Object.values(o.hashes ?? {}).includes(v));
    if (objects.some((o) => !['indicator', 'report', 'identity'].includes(o.type) && asSco(o))) {
      observed.add(pair(i.type, v));
    }
  }
  return { actionable, observed };
}

const samples = fixtureSamples();

describe('one meaning of actionable, on every path', () => {
  it('has real samples of every format to run', () => {
    const formats = new Set(samples.map((s) => s.format));
    expect([...formats].sort()).toEqual(['csv', 'intelmq', 'misp', 'stix']);
  });

  it.each(samples.map((s) => [s.name, s] as const))(
    '%s: normalization, REST, socket, STIX and MISP give the same actionable pairs',
    (_name, sample) => {
      const imported = importSample(sample);
      if (!imported.ok) {
        throw new Error(`${sample.name} is refused: ${JSON.stringify(imported.error)}`);
      }
      const normalized = normalizeSample(imported.value);
      // Feedback after publication: trusted recipients flag the first accepted indicator a false positive.
      const firstAccepted = normalized.findIndex((i) => i.canonicalValue !== null);
      const indicators = normalized.map((i, n): CanonicalIndicator =>
        n === firstAccepted ? { ...i, flags: [...i.flags, 'false-positive'] } : i,
      );
      const accepted = indicators.filter((i) => i.canonicalValue !== null);
      const expected = new Set(accepted.filter(isActionable).map((i) => pair(i.type, i.canonicalValue!)));
      const notExpected = new Set(accepted.filter((i) => !isActionable(i)).map((i) => pair(i.type, i.canonicalValue!)));
      if (firstAccepted >= 0) {
        expect(expected.size + notExpected.size).toBe(accepted.length);
        expect(notExpected.has(pair(accepted[0]!.type, accepted[0]!.canonicalValue!))).toBe(true);
      }
      // Rejected ones are never actionable, whatever the sender said.
      const rows = indicators.map((i, n) => toIndicatorRow(columns(i, n, true)));
      for (const r of rows.filter((r) => r.rejection !== null)) {
        expect(toIndicatorView(r).actionable).toBe(false);
      }

      const rest = new Set(
        rows
          .map(toIndicatorView)
          .filter((v) => v.actionable)
          .map((v) => pair(v.type!, v.canonicalValue!)),
      );
      const socket = new Set(
        rows
          .filter((r) => r.canonicalValue !== null)
          .map(toPushed)
          .filter((p) => p.actionable)
          .map((p) => pair(p.type, p.value)),
      );
      const alert = exportableSample(sample.name, imported.value, indicators);
      const stix = stixPairs(exportStixBundle(alert), indicators);
      const misp = exportMispEvent(alert);

      expect(rest).toEqual(expected);
      expect(socket).toEqual(expected);
      // STIX: CVEs whose id the STIX `cve` reference cannot carry, and values no SCO can hold, are left out.
      const stixable = (p: Pair) => stix.actionable.has(p) || stix.observed.has(p);
      expect(stix.actionable).toEqual(new Set([...expected].filter(stixable)));
      expect([...stix.observed].filter((p) => expected.has(p))).toEqual([]);
      expect(new Set([...notExpected].filter(stixable))).toEqual(new Set([...stix.observed]));
      expect([...expected].filter((p) => !stixable(p))).toEqual([]);
      expect(mispPairs(misp, true, indicators)).toEqual(expected);
      expect(mispPairs(misp, false, indicators)).toEqual(notExpected);
    },
  );
});
