import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOTNET, C2, hoursAgo, reportPart } from '../../../../test/factories/report-parts';
import { TLP_LABELS, type TlpLabel } from '../alerts/tlp';
import { mayReceive, type AudienceOrg } from '../delivery/audience';
import { TRUST_LEVELS } from '../orgs/trust';
import { trustBand } from '../alerts/attribution';
import type { ReportPart } from './correlation';
import { mostRestrictiveTlp, tlpRank } from '../alerts/tlp';
import { buildCoordinatedView, type CoordinatedAlert } from './coordinated-view';

/** Held by the RED part and by one visible part: shared only when the RED part is seen. */
const RED_AND_A = 'url:http://c2.example.net/gate.php';
/** Held by the RED part alone. */
const RED_ONLY = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const THREE_ORGS = { minOrgs: 3, minCountries: 2 };
const TWO_ORGS = { minOrgs: 2, minCountries: 2 };

const X = 'org-x';
/** A named report's source, as every viewer sees it (the factory's parts are trust 3: the `trusted` band). */
const named = (id: string, country: string | null) =>
  ({ attribution: 'named', country, trustBand: 'trusted', org: { id, name: null } }) as const;
const viewer = (id: string, trustLevel: AudienceOrg['trustLevel'] = 3): AudienceOrg => ({ id, trustLevel });

const part = reportPart;

const coordinated = (parts: ReportPart[], status: CoordinatedAlert['status'] = 'active'): CoordinatedAlert => ({
  id: 'coord-1',
  parts,
  status,
});

/** Three reports of one botnet; the earliest is RED to org-x only, from the only Dutch org. */
const A = part('alert-a', 'org-a', 'DE', { reportedAt: hoursAgo(10), indicatorKeys: [BOTNET, RED_AND_A] });
const B = part('alert-b', 'org-b', 'FR', { reportedAt: hoursAgo(5), indicatorKeys: [BOTNET] });
const R = part('alert-red', 'org-red', 'NL', {
  tlp: 'RED',
  recipients: [X],
  reportedAt: hoursAgo(30),
  indicatorKeys: [BOTNET, RED_AND_A, RED_ONLY],
});
const WITH_RED = coordinated([A, B, R]);

describe(buildCoordinatedView.name, () => {
  describe('a coordinated alert with a RED part', () => {
    it('does not exist for an unnamed org when the visible parts miss the thresholds', () => {
      expect(buildCoordinatedView(WITH_RED, viewer('org-unnamed', 4), THREE_ORGS)).toBeNull();
    });

    it.each([
      ['org-a, a non-RED reporter', 'org-a'],
      ['org-b, a non-RED reporter', 'org-b'],
    ])('does not exist for %s either', (_, id) => {
      expect(buildCoordinatedView(WITH_RED, viewer(id, 4), THREE_ORGS)).toBeNull();
    });

    it('shows all three parts, as RED, to the named recipient', () => {
      expect(buildCoordinatedView(WITH_RED, viewer(X, 3), THREE_ORGS)).toEqual({
        id: 'coord-1',
        status: 'active',
        reports: [
          {
            alertId: 'alert-red',
            orgId: 'org-red',
            country: 'NL',
            source: named('org-red', 'NL'),
            reportedAt: hoursAgo(30),
          },
          { alertId: 'alert-a', orgId: 'org-a', country: 'DE', source: named('org-a', 'DE'), reportedAt: hoursAgo(10) },
          { alertId: 'alert-b', orgId: 'org-b', country: 'FR', source: named('org-b', 'FR'), reportedAt: hoursAgo(5) },
        ],
        orgCount: 3,
        countries: ['DE', 'FR', 'NL'],
        sharedIndicators: [BOTNET, RED_AND_A].sort(),
        firstReport: hoursAgo(30),
        lastReport: hoursAgo(5),
        tlp: 'RED',
      });
    });

    it('shows the RED part to its own submitter', () => {
      const view = buildCoordinatedView(WITH_RED, viewer('org-red', 3), THREE_ORGS);
      expect(view?.reports.map((r) => r.alertId)).toEqual(['alert-red', 'alert-a', 'alert-b']);
      expect(view?.tlp).toBe('RED');
    });

    it('builds an unnamed org’s view from the two visible parts only, with lower thresholds', () => {
      const view = buildCoordinatedView(WITH_RED, viewer('org-unnamed', 4), TWO_ORGS);
      expect(view).toEqual({
        id: 'coord-1',
        status: 'active',
        reports: [
          { alertId: 'alert-a', orgId: 'org-a', country: 'DE', source: named('org-a', 'DE'), reportedAt: hoursAgo(10) },
          { alertId: 'alert-b', orgId: 'org-b', country: 'FR', source: named('org-b', 'FR'), reportedAt: hoursAgo(5) },
        ],
        orgCount: 2,
        countries: ['DE', 'FR'],
        sharedIndicators: [BOTNET],
        firstReport: hoursAgo(10),
        lastReport: hoursAgo(5),
        tlp: 'GREEN',
      });
      const leaked = JSON.stringify(view);
      for (const secret of ['alert-red', 'org-red', 'NL', RED_ONLY, RED_AND_A, hoursAgo(30).toISOString(), 'RED']) {
        expect(leaked).not.toContain(secret);
      }
    });

    it('does not let a hidden part bridge two visible ones', () => {
      // A and B share nothing; only the RED part links them (BOTNET with A, C2 with B).
      const a = part('alert-a', 'org-a', 'DE', { indicatorKeys: [BOTNET] });
      const b = part('alert-b', 'org-b', 'FR', { indicatorKeys: [C2] });
      const red = part('alert-red', 'org-red', 'NL', { tlp: 'RED', recipients: [X], indicatorKeys: [BOTNET, C2] });
      const bridged = coordinated([a, b, red]);
      expect(buildCoordinatedView(bridged, viewer('org-unnamed', 4), TWO_ORGS)).toBeNull();
      expect(buildCoordinatedView(bridged, viewer(X), THREE_ORGS)?.orgCount).toBe(3);
    });

    it('does not join two visible groups that only a hidden part links', () => {
      // {a, c} share BOTNET and {b, d} share C2: 2 orgs each. Only the RED part holds both keys.
      const a = part('alert-a', 'org-a', 'DE', { indicatorKeys: [BOTNET] });
      const c = part('alert-c', 'org-c', 'FR', { indicatorKeys: [BOTNET] });
      const b = part('alert-b', 'org-b', 'PL', { indicatorKeys: [C2] });
      const d = part('alert-d', 'org-d', 'CZ', { indicatorKeys: [C2] });
      const red = part('alert-red', 'org-red', 'NL', { tlp: 'RED', recipients: [X], indicatorKeys: [BOTNET, C2] });
      const twoGroups = coordinated([a, b, c, d, red]);
      expect(buildCoordinatedView(twoGroups, viewer('org-unnamed', 4), THREE_ORGS)).toBeNull();
      expect(buildCoordinatedView(twoGroups, viewer(X), THREE_ORGS)?.orgCount).toBe(5);
    });
  });

  describe.each<TlpLabel>(['AMBER', 'AMBER+STRICT'])('a coordinated alert with a TLP:%s part', (tlp) => {
    const amber = part('alert-m', 'org-m', 'NL', { tlp, reportedAt: hoursAgo(30), indicatorKeys: [BOTNET, C2] });
    const withAmber = coordinated([A, B, amber]);

    it('does not exist for a trust-1 viewer when the visible parts miss the thresholds', () => {
      expect(buildCoordinatedView(withAmber, viewer('org-provisional', 1), THREE_ORGS)).toBeNull();
    });

    it('leaves the part out of a trust-1 viewer’s view', () => {
      const view = buildCoordinatedView(withAmber, viewer('org-provisional', 1), TWO_ORGS);
      expect(view?.reports.map((r) => r.alertId)).toEqual(['alert-a', 'alert-b']);
      expect(view?.countries).toEqual(['DE', 'FR']);
      expect(view?.firstReport).toEqual(hoursAgo(10));
      expect(view?.tlp).toBe('GREEN');
    });

    it(`shows it, as ${tlp}, to a trust-2 member`, () => {
      const view = buildCoordinatedView(withAmber, viewer('org-member', 2), THREE_ORGS);
      expect(view?.orgCount).toBe(3);
      expect(view?.countries).toEqual(['DE', 'FR', 'NL']);
      expect(view?.firstReport).toEqual(hoursAgo(30));
      expect(view?.tlp).toBe(tlp);
    });

    it('shows it to its own trust-1 submitter', () => {
      expect(buildCoordinatedView(withAmber, viewer('org-m', 1), THREE_ORGS)?.tlp).toBe(tlp);
    });
  });

  it.each([
    ['an unrelated org', 'org-unnamed'],
    ['a reporter', 'org-a'],
    ['the RED part’s named recipient', X],
    ['the RED part’s submitter', 'org-red'],
  ])('gives a suspended viewer nothing, even as %s', (_, id) => {
    expect(buildCoordinatedView(coordinated([A, B, R]), viewer(id, 0), TWO_ORGS)).toBeNull();
    expect(buildCoordinatedView(coordinated([A, B]), viewer(id, 0), TWO_ORGS)).toBeNull();
  });

  it('keeps the id and a closed status', () => {
    const view = buildCoordinatedView(coordinated([A, B], 'closed'), viewer('org-unnamed', 1), TWO_ORGS);
    expect(view).toMatchObject({ id: 'coord-1', status: 'closed', orgCount: 2 });
  });

  it('counts several reports of one org once, and orgs without a country as no country', () => {
    const parts = [
      part('a1', 'org-a', 'DE'),
      part('a2', 'org-a', 'DE'),
      part('b1', 'org-b', null),
      part('c1', 'org-c', 'FR'),
    ];
    const view = buildCoordinatedView(coordinated(parts), viewer('org-v', 1), THREE_ORGS);
    expect(view).toMatchObject({ orgCount: 3, countries: ['DE', 'FR'] });
    expect(view?.reports).toHaveLength(4);
    expect(buildCoordinatedView(coordinated(parts), viewer('org-v', 1), { minOrgs: 3, minCountries: 3 })).toBeNull();
  });

  it('needs the visible parts to share a key, not only to be many', () => {
    const parts = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [BOTNET] }),
      part('b1', 'org-b', 'FR', { indicatorKeys: [C2] }),
      part('c1', 'org-c', 'NL', { indicatorKeys: [RED_ONLY] }),
    ];
    expect(buildCoordinatedView(coordinated(parts), viewer('org-v', 1), TWO_ORGS)).toBeNull();
  });

  it('shows the largest linked group when the visible parts form several', () => {
    const parts = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [BOTNET] }),
      part('b1', 'org-b', 'FR', { indicatorKeys: [BOTNET] }),
      part('c1', 'org-c', 'DE', { indicatorKeys: [C2] }),
      part('d1', 'org-d', 'FR', { indicatorKeys: [C2] }),
      part('e1', 'org-e', 'NL', { indicatorKeys: [C2] }),
    ];
    const view = buildCoordinatedView(coordinated(parts), viewer('org-v', 1), TWO_ORGS);
    expect(view?.reports.map((r) => r.alertId)).toEqual(['c1', 'd1', 'e1']);
    expect(view?.sharedIndicators).toEqual([C2]);
  });

  it('links visible parts by CVE', () => {
    const parts = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [], cves: ['CVE-2024-3400'] }),
      part('b1', 'org-b', 'FR', { indicatorKeys: ['cve:CVE-2024-3400'] }),
    ];
    expect(buildCoordinatedView(coordinated(parts), viewer('org-v', 1), TWO_ORGS)?.sharedIndicators).toEqual([
      'cve:CVE-2024-3400',
    ]);
  });

  describe('for any parts and any viewer', () => {
    const ORGS = ['org-a', 'org-b', 'org-c', 'org-d', 'org-v'];
    const KEYS = ['ipv4:198.51.100.7', 'domain:c2.example.net', 'md5:d41d8cd98f00b204e9800998ecf8427e', 'asn:AS64500'];
    const arbPart = fc.record({
      orgId: fc.constantFrom(...ORGS),
      country: fc.constantFrom('DE', 'FR', 'NL', 'PL', null),
      tlp: fc.constantFrom(...TLP_LABELS),
      recipients: fc.subarray(ORGS),
      indicatorKeys: fc.subarray(KEYS),
      cves: fc.subarray(['CVE-2024-3400', 'CVE-2023-4966']),
      hours: fc.integer({ min: 0, max: 200 }),
    });
    const arbCase = fc.record({
      specs: fc.array(arbPart, { maxLength: 9 }),
      viewer: fc.record({ id: fc.constantFrom(...ORGS), trustLevel: fc.constantFrom(...TRUST_LEVELS) }),
      thresholds: fc.record({ minOrgs: fc.integer({ min: 1, max: 4 }), minCountries: fc.integer({ min: 0, max: 3 }) }),
      status: fc.constantFrom('active' as const, 'closed' as const),
    });
    type PartSpec = typeof arbPart extends fc.Arbitrary<infer S> ? S : never;
    const build = (specs: readonly PartSpec[]): ReportPart[] =>
      specs.map((s, i) =>
        part(`alert-${i}`, s.orgId, s.country, {
          tlp: s.tlp,
          recipients: s.recipients,
          indicatorKeys: s.indicatorKeys,
          cves: s.cves,
          reportedAt: hoursAgo(s.hours),
        }),
      );

    it('is the view the visible parts alone would give: hidden parts change nothing', () => {
      fc.assert(
        fc.property(arbCase, ({ specs, viewer: v, thresholds, status }) => {
          const parts = build(specs);
          const visible = parts.filter((p) => mayReceive(p, v));
          expect(buildCoordinatedView(coordinated(parts, status), v, thresholds)).toEqual(
            buildCoordinatedView(coordinated(visible, status), v, thresholds),
          );
        }),
      );
    });

    it('derives every field from parts the viewer may see alone, and is null below the thresholds', () => {
      fc.assert(
        fc.property(arbCase, ({ specs, viewer: v, thresholds, status }) => {
          const parts = build(specs);
          const visible = parts.filter((p) => mayReceive(p, v));
          const visibleOrgs = new Set(visible.map((p) => p.orgId));
          const visibleCountries = new Set(visible.flatMap((p) => (p.country === null ? [] : [p.country])));
          const view = buildCoordinatedView(coordinated(parts, status), v, thresholds);

          if (
            v.trustLevel === 0 ||
            visibleOrgs.size < thresholds.minOrgs ||
            visibleCountries.size < thresholds.minCountries
          ) {
            expect(view).toBeNull();
          }
          if (view === null) {
            return;
          }
          const shown = view.reports.map((r) => {
            const source = visible.find((p) => p.alertId === r.alertId);
            expect(source).toBeDefined();
            expect(r).toEqual({
              alertId: source!.alertId,
              orgId: source!.orgId,
              country: source!.country,
              source: { ...named(source!.orgId, source!.country), trustBand: trustBand(source!.trustLevel) },
              reportedAt: source!.reportedAt,
            });
            return source!;
          });
          const shownOrgs = new Set(shown.map((p) => p.orgId));
          const shownCountries = new Set(shown.flatMap((p) => (p.country === null ? [] : [p.country])));
          expect(view.orgCount).toBe(shownOrgs.size);
          expect(view.orgCount).toBeGreaterThanOrEqual(thresholds.minOrgs);
          expect(view.countries).toEqual([...shownCountries].sort());
          expect(view.countries.length).toBeGreaterThanOrEqual(thresholds.minCountries);
          expect(view.countries.every((c) => visibleCountries.has(c))).toBe(true);
          expect(view.sharedIndicators.length).toBeGreaterThan(0);
          for (const key of view.sharedIndicators) {
            const holders = shown.filter((p) => [...p.indicatorKeys, ...p.cves.map((c) => `cve:${c}`)].includes(key));
            expect(new Set(holders.map((p) => p.orgId)).size).toBeGreaterThanOrEqual(2);
          }
          const times = shown.map((p) => p.reportedAt.getTime());
          expect(view.firstReport.getTime()).toBe(Math.min(...times));
          expect(view.lastReport.getTime()).toBe(Math.max(...times));
          expect(view.tlp).toBe(mostRestrictiveTlp(shown.map((p) => p.tlp)));
          expect(tlpRank(view.tlp)).toBeLessThanOrEqual(Math.max(...visible.map((p) => tlpRank(p.tlp))));
          expect(view.status).toBe(status);
        }),
      );
    });
  });
});

describe(mostRestrictiveTlp.name, () => {
  it.each<[TlpLabel[], TlpLabel | null]>([
    [[], null],
    [['CLEAR'], 'CLEAR'],
    [['CLEAR', 'GREEN'], 'GREEN'],
    [['AMBER', 'GREEN', 'CLEAR'], 'AMBER'],
    [['AMBER+STRICT', 'AMBER'], 'AMBER+STRICT'],
    [['GREEN', 'RED', 'AMBER+STRICT'], 'RED'],
  ])('picks from %j: %s', (labels, expected) => {
    expect(mostRestrictiveTlp(labels)).toBe(expected);
  });
});

describe(tlpRank.name, () => {
  it('orders CLEAR < GREEN < AMBER < AMBER+STRICT < RED', () => {
    const ordered: TlpLabel[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
    expect(ordered.map(tlpRank)).toEqual([0, 1, 2, 3, 4]);
  });
});
