import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOTNET, C2, HOUR, NOW, hoursAgo, reportPart } from '../../../../test/factories/report-parts';
import { TRUST_LEVELS, type TrustLevel } from '../orgs/trust';
import {
  CORROBORATION_POINTS_PER_TRUST,
  DEFAULT_COORDINATION_THRESHOLDS,
  corroborationConfidence,
  detectCoordination,
  findCorroborations,
  sharedKeys,
  type Corroborator,
  type ReportPart,
} from './correlation';

const DROPPER = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const CVE = 'CVE-2024-3400';
const NO_LIMIT = Number.POSITIVE_INFINITY;
const T = DEFAULT_COORDINATION_THRESHOLDS;

const part = reportPart;

describe('DEFAULT_COORDINATION_THRESHOLDS', () => {
  it('is 3 orgs from 2 countries within 72 hours', () => {
    expect(DEFAULT_COORDINATION_THRESHOLDS).toEqual({ minOrgs: 3, minCountries: 2, windowMs: 72 * HOUR });
  });
});

describe(sharedKeys.name, () => {
  it('keeps the keys held by two distinct orgs, sorted', () => {
    const parts = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [C2, BOTNET, DROPPER] }),
      part('b1', 'org-b', 'FR', { indicatorKeys: [BOTNET, C2] }),
    ];
    expect(sharedKeys(parts, NO_LIMIT)).toEqual([C2, BOTNET].sort());
  });

  it('ignores a key held only by several alerts of one org', () => {
    const parts = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [DROPPER] }),
      part('a2', 'org-a', 'DE', { indicatorKeys: [DROPPER] }),
      part('b1', 'org-b', 'FR', { indicatorKeys: [BOTNET] }),
    ];
    expect(sharedKeys(parts, NO_LIMIT)).toEqual([]);
  });

  it.each([
    [1, []],
    [2, []],
    [3, [BOTNET]],
    [4, [BOTNET]],
  ])('with a limit of %i alerts per key, a key in 3 alerts gives %j', (limit, expected) => {
    const parts = [part('a1', 'org-a', 'DE'), part('b1', 'org-b', 'FR'), part('c1', 'org-c', 'NL')];
    expect(sharedKeys(parts, limit)).toEqual(expected);
  });

  it('counts an alert given twice once', () => {
    const a = part('a1', 'org-a', 'DE');
    expect(sharedKeys([a, a, part('b1', 'org-b', 'FR')], 2)).toEqual([BOTNET]);
  });

  it('compares CVEs as cve:<id> keys, matching a cve indicator', () => {
    const parts = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [], cves: [CVE] }),
      part('b1', 'org-b', 'FR', { indicatorKeys: [`cve:${CVE}`] }),
    ];
    expect(sharedKeys(parts, NO_LIMIT)).toEqual([`cve:${CVE}`]);
  });
});

describe(detectCoordination.name, () => {
  it('raises a coordinated alert for 3 orgs in 2 countries sharing a botnet IP within 72 h', () => {
    const newPart = part('c1', 'org-c', 'FR', { reportedAt: hoursAgo(0) });
    const candidates = [
      part('a1', 'org-a', 'DE', { reportedAt: hoursAgo(70), indicatorKeys: [BOTNET, DROPPER] }),
      part('b1', 'org-b', 'DE', { reportedAt: hoursAgo(20) }),
    ];
    expect(detectCoordination(newPart, candidates, T, NO_LIMIT, NOW)).toEqual({
      partIds: ['a1', 'b1', 'c1'],
      orgs: ['org-a', 'org-b', 'org-c'],
      countries: ['DE', 'FR'],
      sharedKeys: [BOTNET],
      firstReport: hoursAgo(70),
      lastReport: hoursAgo(0),
    });
  });

  it.each<[string, readonly ReportPart[]]>([
    ['3 orgs in 1 country', [part('a1', 'org-a', 'DE'), part('b1', 'org-b', 'DE')]],
    ['2 orgs in 2 countries', [part('a1', 'org-a', 'FR')]],
    ['3 orgs, 2 of them without a country', [part('a1', 'org-a', null), part('b1', 'org-b', null)]],
    ['no candidate', []],
    ['3 orgs sharing nothing', [part('a1', 'org-a', 'FR', { indicatorKeys: [C2] }), part('b1', 'org-b', 'NL')]],
  ])('raises nothing for %s', (_, candidates) => {
    const newPart = part('c1', 'org-c', 'DE');
    expect(detectCoordination(newPart, candidates, T, NO_LIMIT, NOW)).toBeNull();
  });

  it.each([
    ['72 h ago (the window edge)', true, hoursAgo(72)],
    ['72 h and 1 ms ago', false, new Date(hoursAgo(72).getTime() - 1)],
    ['a week ago', false, hoursAgo(24 * 7)],
    ['1 ms after now', false, new Date(NOW.getTime() + 1)],
  ])('counts a third report made %s: %s', (_, counted, reportedAt) => {
    const newPart = part('c1', 'org-c', 'FR');
    const candidates = [part('a1', 'org-a', 'DE', { reportedAt }), part('b1', 'org-b', 'DE')];
    const found = detectCoordination(newPart, candidates, T, NO_LIMIT, NOW);
    expect(found === null ? null : found.partIds).toEqual(counted ? ['a1', 'b1', 'c1'] : null);
  });

  it('raises nothing when the new report itself is outside the window', () => {
    const newPart = part('c1', 'org-c', 'FR', { reportedAt: hoursAgo(100) });
    const candidates = [part('a1', 'org-a', 'DE'), part('b1', 'org-b', 'DE')];
    expect(detectCoordination(newPart, candidates, T, NO_LIMIT, NOW)).toBeNull();
  });

  it('counts several reports of the same org once', () => {
    const newPart = part('a3', 'org-a', 'DE');
    const sameOrg = [part('a1', 'org-a', 'DE'), part('a2', 'org-a', 'DE'), part('b1', 'org-b', 'FR')];
    expect(detectCoordination(newPart, sameOrg, T, NO_LIMIT, NOW)).toBeNull();

    const found = detectCoordination(newPart, [...sameOrg, part('c1', 'org-c', 'FR')], T, NO_LIMIT, NOW);
    expect(found?.orgs).toEqual(['org-a', 'org-b', 'org-c']);
    expect(found?.partIds).toEqual(['a1', 'a2', 'a3', 'b1', 'c1']);
  });

  it('counts the new report once when the candidates include it', () => {
    const newPart = part('c1', 'org-c', 'FR');
    const found = detectCoordination(newPart, [newPart, part('a1', 'org-a', 'DE')], T, NO_LIMIT, NOW);
    expect(found).toBeNull();
  });

  it.each([
    [2, null],
    [3, ['a1', 'b1', 'c1']],
  ])('with a limit of %i alerts per key, a key in 3 alerts links %j', (limit, expected) => {
    const newPart = part('c1', 'org-c', 'FR');
    const found = detectCoordination(newPart, [part('a1', 'org-a', 'DE'), part('b1', 'org-b', 'DE')], T, limit, NOW);
    expect(found === null ? null : found.partIds).toEqual(expected);
  });

  it('counts the alerts per key over every report given, outside the window too', () => {
    const newPart = part('c1', 'org-c', 'FR');
    const old = [part('x1', 'org-x', 'PL', { reportedAt: hoursAgo(500) })];
    const candidates = [part('a1', 'org-a', 'DE'), part('b1', 'org-b', 'DE'), ...old];
    expect(detectCoordination(newPart, candidates, T, 3, NOW)).toBeNull();
    expect(detectCoordination(newPart, candidates, T, 4, NOW)?.partIds).toEqual(['a1', 'b1', 'c1']);
  });

  it('links an over-limit key no more, while another shared key still links', () => {
    const newPart = part('c1', 'org-c', 'FR', { indicatorKeys: [BOTNET, C2] });
    const candidates = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [BOTNET, C2] }),
      part('b1', 'org-b', 'DE', { indicatorKeys: [BOTNET, C2] }),
      part('n1', 'org-n', 'NL', { indicatorKeys: [BOTNET] }),
    ];
    expect(detectCoordination(newPart, candidates, T, 3, NOW)).toMatchObject({
      partIds: ['a1', 'b1', 'c1'],
      sharedKeys: [C2],
    });
  });

  it('links transitively: A–B share x and B–C share y make one group', () => {
    const newPart = part('a1', 'org-a', 'DE', { indicatorKeys: [BOTNET] });
    const candidates = [
      part('b1', 'org-b', 'FR', { indicatorKeys: [BOTNET, C2] }),
      part('c1', 'org-c', 'NL', { indicatorKeys: [C2] }),
    ];
    expect(detectCoordination(newPart, candidates, T, NO_LIMIT, NOW)).toMatchObject({
      partIds: ['a1', 'b1', 'c1'],
      countries: ['DE', 'FR', 'NL'],
      sharedKeys: [C2, BOTNET].sort(),
    });
  });

  it('does not link through a key only one org holds', () => {
    // a1–b1 share BOTNET; a1 and a2 share DROPPER, but only org-a holds it; a2–c1–d1 share C2.
    const newPart = part('a1', 'org-a', 'DE', { indicatorKeys: [BOTNET, DROPPER] });
    const candidates = [
      part('b1', 'org-b', 'FR', { indicatorKeys: [BOTNET] }),
      part('a2', 'org-a', 'DE', { indicatorKeys: [DROPPER, C2] }),
      part('c1', 'org-c', 'NL', { indicatorKeys: [C2] }),
      part('d1', 'org-d', 'PL', { indicatorKeys: [C2] }),
    ];
    expect(detectCoordination(newPart, candidates, T, NO_LIMIT, NOW)).toBeNull();
  });

  it('leaves out candidates of another group', () => {
    const newPart = part('c1', 'org-c', 'FR');
    const candidates = [
      part('a1', 'org-a', 'DE'),
      part('b1', 'org-b', 'DE'),
      part('x1', 'org-x', 'PL', { indicatorKeys: [C2] }),
      part('y1', 'org-y', 'CZ', { indicatorKeys: [C2] }),
    ];
    expect(detectCoordination(newPart, candidates, T, NO_LIMIT, NOW)?.partIds).toEqual(['a1', 'b1', 'c1']);
  });

  it('links reports by CVE, given as a CVE or as a cve indicator', () => {
    const newPart = part('c1', 'org-c', 'FR', { indicatorKeys: [], cves: [CVE] });
    const candidates = [
      part('a1', 'org-a', 'DE', { indicatorKeys: [], cves: [CVE] }),
      part('b1', 'org-b', 'DE', { indicatorKeys: [`cve:${CVE}`] }),
    ];
    expect(detectCoordination(newPart, candidates, T, NO_LIMIT, NOW)).toMatchObject({
      partIds: ['a1', 'b1', 'c1'],
      sharedKeys: [`cve:${CVE}`],
    });
  });

  it('applies configured thresholds', () => {
    const newPart = part('b1', 'org-b', 'FR');
    const candidates = [part('a1', 'org-a', 'DE', { reportedAt: hoursAgo(5) })];
    const twoOrgs = { minOrgs: 2, minCountries: 2, windowMs: 6 * HOUR };
    expect(detectCoordination(newPart, candidates, twoOrgs, NO_LIMIT, NOW)?.orgs).toEqual(['org-a', 'org-b']);
    expect(detectCoordination(newPart, candidates, { ...twoOrgs, windowMs: 4 * HOUR }, NO_LIMIT, NOW)).toBeNull();
  });

  it('never raises a lone report, even with thresholds of one org and one country', () => {
    const lenient = { minOrgs: 1, minCountries: 1, windowMs: T.windowMs };
    expect(detectCoordination(part('a1', 'org-a', 'DE'), [], lenient, NO_LIMIT, NOW)).toBeNull();
  });

  it('gives the same answer whatever the order of the candidates', () => {
    const arbPart = fc.record({
      org: fc.constantFrom('org-a', 'org-b', 'org-c', 'org-d'),
      country: fc.constantFrom('DE', 'FR', 'NL', null),
      keys: fc.subarray([BOTNET, C2, DROPPER, `cve:${CVE}`]),
      cves: fc.subarray([CVE]),
      hours: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(arbPart, { maxLength: 10 }), fc.integer({ min: 1, max: 12 }), (specs, limit) => {
        const parts = specs.map((s, i) =>
          part(`p${i}`, s.org, s.country, { indicatorKeys: s.keys, cves: s.cves, reportedAt: hoursAgo(s.hours) }),
        );
        const newPart = part('new', 'org-new', 'SE', { indicatorKeys: [BOTNET, C2], reportedAt: NOW });
        const forward = detectCoordination(newPart, parts, T, limit, NOW);
        const backward = detectCoordination(newPart, [...parts].reverse(), T, limit, NOW);
        expect(backward).toEqual(forward);
        if (forward !== null) {
          expect(forward.partIds).toContain('new');
          expect(forward.orgs.length).toBeGreaterThanOrEqual(T.minOrgs);
          expect(forward.countries.length).toBeGreaterThanOrEqual(T.minCountries);
        }
      }),
    );
  });
});

describe(findCorroborations.name, () => {
  it('lists the other orgs’ reports in the window that share a key, sorted by alert id', () => {
    const subject = part('s1', 'org-s', 'DE', { indicatorKeys: [BOTNET, C2], cves: [CVE] });
    const candidates = [
      part('z1', 'org-z', 'FR', { indicatorKeys: [C2], trustLevel: 4 }),
      part('b1', 'org-b', 'NL', { indicatorKeys: [`cve:${CVE}`, DROPPER], trustLevel: 2 }),
      part('s2', 'org-s', 'DE', { indicatorKeys: [BOTNET] }),
      part('o1', 'org-o', 'PL', { indicatorKeys: [BOTNET], reportedAt: hoursAgo(80) }),
      part('u1', 'org-u', 'PL', { indicatorKeys: [DROPPER] }),
    ];
    expect(findCorroborations(subject, candidates, T.windowMs, NO_LIMIT, NOW)).toEqual([
      { alertId: 'b1', orgId: 'org-b', trustLevel: 2, sharedKeys: [`cve:${CVE}`] },
      { alertId: 'z1', orgId: 'org-z', trustLevel: 4, sharedKeys: [C2] },
    ]);
  });

  it('ignores a key held by more alerts than the limit', () => {
    const subject = part('s1', 'org-s', 'DE');
    const candidates = [part('a1', 'org-a', 'FR'), part('b1', 'org-b', 'NL')];
    expect(findCorroborations(subject, candidates, T.windowMs, 2, NOW)).toEqual([]);
    expect(findCorroborations(subject, candidates, T.windowMs, 3, NOW).map((c) => c.alertId)).toEqual(['a1', 'b1']);
  });
});

describe(corroborationConfidence.name, () => {
  const by = (...levels: TrustLevel[]): Corroborator[] => levels.map((trustLevel) => ({ trustLevel }));

  it.each<[number | null, Corroborator[], number]>([
    [null, [], 50],
    [null, by(3), 65],
    [40, [], 40],
    [40, by(0), 40],
    [40, by(1, 2), 55],
    [60, by(3, 4), 95],
    [90, by(4), 100],
    [100, by(4, 4, 4), 100],
    [0, by(2), 10],
    [150, [], 100],
    [-10, by(1), 5],
    [Number.NaN, [], 50],
    [
      50,
      [
        { orgId: 'org-a', trustLevel: 2 },
        { orgId: 'org-a', trustLevel: 4 },
        { orgId: 'org-b', trustLevel: 1 },
      ],
      75,
    ],
  ])('raises base %s with %j to %i', (base, corroborators, expected) => {
    expect(corroborationConfidence(base, corroborators)).toBe(expected);
  });

  it('adds trust × 5 per org', () => {
    expect(CORROBORATION_POINTS_PER_TRUST).toBe(5);
  });

  const arbBase = fc.option(fc.integer({ min: 0, max: 100 }), { nil: null });
  const arbCorroborator: fc.Arbitrary<Corroborator> = fc.record(
    { trustLevel: fc.constantFrom(...TRUST_LEVELS), orgId: fc.constantFrom('org-a', 'org-b', 'org-c', 'org-d') },
    { requiredKeys: ['trustLevel'] },
  );
  const arbCorroborators = fc.array(arbCorroborator, { maxLength: 12 });

  it('stays within base..100 and is an integer for an integer base', () => {
    fc.assert(
      fc.property(arbBase, arbCorroborators, (base, corroborators) => {
        const confidence = corroborationConfidence(base, corroborators);
        expect(confidence).toBeGreaterThanOrEqual(base ?? 50);
        expect(confidence).toBeLessThanOrEqual(100);
        expect(Number.isInteger(confidence)).toBe(true);
      }),
    );
  });

  it('never drops when a corroborator joins', () => {
    fc.assert(
      fc.property(arbBase, arbCorroborators, arbCorroborator, (base, corroborators, extra) => {
        expect(corroborationConfidence(base, [...corroborators, extra])).toBeGreaterThanOrEqual(
          corroborationConfidence(base, corroborators),
        );
      }),
    );
  });

  it('never drops as the base rises', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), arbCorroborators, (a, b, cs) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(corroborationConfidence(high, cs)).toBeGreaterThanOrEqual(corroborationConfidence(low, cs));
      }),
    );
  });

  it('does not depend on the order of the corroborators', () => {
    fc.assert(
      fc.property(arbBase, arbCorroborators, (base, corroborators) => {
        expect(corroborationConfidence(base, [...corroborators].reverse())).toBe(
          corroborationConfidence(base, corroborators),
        );
      }),
    );
  });
});
