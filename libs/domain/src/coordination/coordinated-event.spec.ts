import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOTNET, C2, hoursAgo, reportPart } from '../../../../test/factories/report-parts';
import { TLP_LABELS } from '../alerts/tlp';
import { mayReceive, type AudienceOrg } from '../delivery/audience';
import { TRUST_LEVELS } from '../orgs/trust';
import { buildCoordinatedView, COORDINATED_ALERT_STATUSES, type CoordinatedAlertStatus } from './coordinated-view';
import {
  coordinatedEventFor,
  currentCoordinatedView,
  partsAt,
  type CoordinatedSnapshot,
  type SnapshotPart,
} from './coordinated-event';

const RED_ONLY = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const THREE_ORGS = { minOrgs: 3, minCountries: 2 };

const X = 'org-x';
/** A named report's source, as every viewer sees it (the factory's parts are trust 3: the `trusted` band). */
const named = (id: string, country: string | null) =>
  ({ attribution: 'named', country, trustBand: 'trusted', org: { id, name: null } }) as const;
const viewer = (id: string, trustLevel: AudienceOrg['trustLevel'] = 3): AudienceOrg => ({ id, trustLevel });

function part(
  alertId: string,
  orgId: string,
  country: string | null,
  joinedVersion: number,
  over: Partial<SnapshotPart> = {},
): SnapshotPart {
  return { ...reportPart(alertId, orgId, country), joinedVersion, ...over };
}

function snapshot(
  version: number,
  parts: SnapshotPart[],
  status: CoordinatedAlertStatus = 'active',
  previousStatus: CoordinatedAlertStatus = status,
): CoordinatedSnapshot {
  return { id: 'coord-1', version, status, previousStatus, parts };
}

/** The view an event carries, if it carries one. */
const viewOf = (event: ReturnType<typeof coordinatedEventFor>) => (event && 'view' in event ? event.view : undefined);

const ids = (event: ReturnType<typeof coordinatedEventFor>): string[] | undefined =>
  viewOf(event)?.reports.map((r) => r.alertId);

/** Three GREEN reports of one botnet from three countries: a coordinated alert for everyone. */
const A = part('alert-a', 'org-a', 'DE', 1, { reportedAt: hoursAgo(10) });
const B = part('alert-b', 'org-b', 'FR', 1, { reportedAt: hoursAgo(5) });
const C = part('alert-c', 'org-c', 'NL', 1, { reportedAt: hoursAgo(3) });
/** Like C, but AMBER: a trust-1 viewer sees only A and B, two orgs. */
const C_AMBER = part('alert-c', 'org-c', 'NL', 1, { tlp: 'AMBER', reportedAt: hoursAgo(3) });
/** Like C, but RED to org-x only. */
const C_RED = part('alert-c', 'org-c', 'NL', 1, { tlp: 'RED', recipients: [X], reportedAt: hoursAgo(3) });

describe(coordinatedEventFor.name, () => {
  describe('version 1', () => {
    it('is a coordinated-alert, with the viewer’s view, for a viewer who may see it', () => {
      const snap = snapshot(1, [A, B, C]);
      const event = coordinatedEventFor(snap, viewer('org-v', 1), THREE_ORGS);
      expect(event).toEqual({
        name: 'coordinated-alert',
        view: {
          id: 'coord-1',
          status: 'active',
          reports: [
            {
              alertId: 'alert-a',
              orgId: 'org-a',
              country: 'DE',
              source: named('org-a', 'DE'),
              reportedAt: hoursAgo(10),
            },
            {
              alertId: 'alert-b',
              orgId: 'org-b',
              country: 'FR',
              source: named('org-b', 'FR'),
              reportedAt: hoursAgo(5),
            },
            {
              alertId: 'alert-c',
              orgId: 'org-c',
              country: 'NL',
              source: named('org-c', 'NL'),
              reportedAt: hoursAgo(3),
            },
          ],
          orgCount: 3,
          countries: ['DE', 'FR', 'NL'],
          sharedIndicators: [BOTNET],
          firstReport: hoursAgo(10),
          lastReport: hoursAgo(3),
          tlp: 'GREEN',
        },
      });
      expect(viewOf(event)).toEqual(buildCoordinatedView(snap, viewer('org-v', 1), THREE_ORGS));
    });

    it('is nothing for a trust-1 viewer when an AMBER part is needed to meet the thresholds', () => {
      expect(coordinatedEventFor(snapshot(1, [A, B, C_AMBER]), viewer('org-v', 1), THREE_ORGS)).toBeNull();
    });

    it('is a coordinated-alert, as AMBER, for a trust-2 member and for the AMBER part’s trust-1 submitter', () => {
      const snap = snapshot(1, [A, B, C_AMBER]);
      const member = coordinatedEventFor(snap, viewer('org-member', 2), THREE_ORGS);
      expect(member?.name).toBe('coordinated-alert');
      expect(viewOf(member)?.tlp).toBe('AMBER');
      expect(ids(member)).toEqual(['alert-a', 'alert-b', 'alert-c']);
      expect(coordinatedEventFor(snap, viewer('org-c', 1), THREE_ORGS)?.name).toBe('coordinated-alert');
    });

    it.each([
      ['an unnamed coordinator', 'org-unnamed', 4],
      ['a non-RED reporter', 'org-a', 4],
    ] as const)('is nothing for %s when a RED part is needed to meet the thresholds', (_, id, trust) => {
      expect(coordinatedEventFor(snapshot(1, [A, B, C_RED]), viewer(id, trust), THREE_ORGS)).toBeNull();
    });

    it('is a coordinated-alert, as RED, for the RED part’s named recipient and its submitter', () => {
      const snap = snapshot(1, [A, B, C_RED]);
      for (const v of [viewer(X, 3), viewer('org-c', 3)]) {
        const event = coordinatedEventFor(snap, v, THREE_ORGS);
        expect(event?.name).toBe('coordinated-alert');
        expect(viewOf(event)?.tlp).toBe('RED');
        expect(ids(event)).toEqual(['alert-a', 'alert-b', 'alert-c']);
      }
    });

    it('is nothing for a suspended viewer, even a reporter or a named recipient', () => {
      for (const id of ['org-v', 'org-a', X, 'org-c']) {
        expect(coordinatedEventFor(snapshot(1, [A, B, C]), viewer(id, 0), THREE_ORGS)).toBeNull();
        expect(coordinatedEventFor(snapshot(1, [A, B, C_RED]), viewer(id, 0), THREE_ORGS)).toBeNull();
      }
    });
  });

  describe('version 2 adding a visible report', () => {
    const D = part('alert-d', 'org-d', 'PL', 2, { reportedAt: hoursAgo(2) });

    it('is a coordinated-alert-updated, with the new view, for a viewer who saw version 1', () => {
      const event = coordinatedEventFor(snapshot(2, [A, B, C, D]), viewer('org-v', 1), THREE_ORGS);
      expect(event?.name).toBe('coordinated-alert-updated');
      expect(ids(event)).toEqual(['alert-a', 'alert-b', 'alert-c', 'alert-d']);
      expect(viewOf(event)).toMatchObject({
        orgCount: 4,
        countries: ['DE', 'FR', 'NL', 'PL'],
        lastReport: hoursAgo(2),
      });
    });

    it('is a coordinated-alert for a viewer whose view of version 1 was null', () => {
      // Version 1 (A, B, AMBER C) was nothing to a trust-1 viewer; D makes A, B, D three orgs it may see.
      const snap = snapshot(2, [A, B, C_AMBER, D]);
      const provisional = coordinatedEventFor(snap, viewer('org-v', 1), THREE_ORGS);
      expect(provisional?.name).toBe('coordinated-alert');
      expect(ids(provisional)).toEqual(['alert-a', 'alert-b', 'alert-d']);
      expect(viewOf(provisional)?.tlp).toBe('GREEN');
      // A member saw version 1, so to it this is an update.
      const member = coordinatedEventFor(snap, viewer('org-member', 2), THREE_ORGS);
      expect(member?.name).toBe('coordinated-alert-updated');
      expect(ids(member)).toEqual(['alert-a', 'alert-b', 'alert-c', 'alert-d']);
    });

    it('is nothing when the report joins without changing the viewer’s view', () => {
      // E holds a key no other org holds: it links to nothing, so the view shown stays A, B, C.
      const E = part('alert-e', 'org-e', 'PL', 2, { indicatorKeys: [C2] });
      expect(coordinatedEventFor(snapshot(2, [A, B, C, E]), viewer('org-v', 1), THREE_ORGS)).toBeNull();
    });

    it('is still nothing for a viewer who may see neither version', () => {
      const snap = snapshot(2, [A, B, C_RED, part('alert-d', 'org-d', 'FR', 2)]);
      // An unnamed viewer sees A, B, D: three orgs but two countries, under a threshold of three countries.
      const threeCountries = { minOrgs: 3, minCountries: 3 };
      expect(coordinatedEventFor(snap, viewer('org-v', 4), threeCountries)).toBeNull();
      // The RED report's recipient saw version 1 (A, B, C from three countries) and now sees D join it.
      expect(coordinatedEventFor(snap, viewer(X, 3), threeCountries)?.name).toBe('coordinated-alert-updated');
    });
  });

  describe('version 2 adding only a RED report', () => {
    const R = part('alert-red', 'org-red', 'CZ', 2, {
      tlp: 'RED',
      recipients: [X],
      reportedAt: hoursAgo(30),
      indicatorKeys: [BOTNET, RED_ONLY],
    });
    const snap = snapshot(2, [A, B, C, R]);

    it.each([
      ['an unnamed coordinator', 'org-unnamed', 4],
      ['an unnamed provisional org', 'org-unnamed', 1],
      ['a non-RED reporter', 'org-a', 3],
    ] as const)('is nothing for %s: no update tells it the RED report exists', (_, id, trust) => {
      expect(coordinatedEventFor(snap, viewer(id, trust), THREE_ORGS)).toBeNull();
      // … though it did get version 1.
      expect(coordinatedEventFor(snapshot(1, [A, B, C]), viewer(id, trust), THREE_ORGS)?.name).toBe(
        'coordinated-alert',
      );
    });

    it.each([
      ['its named recipient', X],
      ['its submitter', 'org-red'],
    ])('is a coordinated-alert-updated, as RED, for %s', (_, id) => {
      const event = coordinatedEventFor(snap, viewer(id, 3), THREE_ORGS);
      expect(event?.name).toBe('coordinated-alert-updated');
      expect(ids(event)).toEqual(['alert-red', 'alert-a', 'alert-b', 'alert-c']);
      expect(viewOf(event)).toMatchObject({
        orgCount: 4,
        countries: ['CZ', 'DE', 'FR', 'NL'],
        firstReport: hoursAgo(30),
        tlp: 'RED',
      });
    });

    it('is nothing for the same viewers when the hidden report is AMBER and they are trust 1', () => {
      const amber = { ...R, tlp: 'AMBER' as const, recipients: [] };
      const withAmber = snapshot(2, [A, B, C, amber]);
      expect(coordinatedEventFor(withAmber, viewer('org-v', 1), THREE_ORGS)).toBeNull();
      expect(coordinatedEventFor(withAmber, viewer('org-v', 2), THREE_ORGS)?.name).toBe('coordinated-alert-updated');
    });
  });

  describe('a report withdrawn (revoked by its submitter)', () => {
    const D = part('alert-d', 'org-d', 'PL', 1, { reportedAt: hoursAgo(2) });

    it('is an update without it while the rest still meet the thresholds', () => {
      const snap = snapshot(2, [A, B, C, { ...D, leftVersion: 2 }]);
      const event = coordinatedEventFor(snap, viewer('org-v', 1), THREE_ORGS);
      expect(event?.name).toBe('coordinated-alert-updated');
      expect(ids(event)).toEqual(['alert-a', 'alert-b', 'alert-c']);
      expect(currentCoordinatedView(snap, viewer('org-v', 1), THREE_ORGS)?.orgCount).toBe(3);
    });

    it('is withdrawn for whoever no longer sees enough, and absent from the REST view', () => {
      const snap = snapshot(2, [A, B, { ...C, leftVersion: 2 }]);
      expect(coordinatedEventFor(snap, viewer('org-v', 1), THREE_ORGS)).toEqual({
        name: 'coordinated-alert-withdrawn',
        id: 'coord-1',
      });
      expect(currentCoordinatedView(snap, viewer('org-v', 1), THREE_ORGS)).toBeNull();
    });

    it('tells nothing to a viewer who never saw the withdrawn RED report, and updates its named recipient', () => {
      const snap = snapshot(2, [
        A,
        B,
        C,
        { ...part('alert-r', 'org-r', 'IT', 1, { tlp: 'RED', recipients: [X] }), leftVersion: 2 },
      ]);
      expect(coordinatedEventFor(snap, viewer('org-v'), THREE_ORGS)).toBeNull();
      const named = coordinatedEventFor(snap, viewer(X), THREE_ORGS);
      expect(named?.name).toBe('coordinated-alert-updated');
      expect(ids(named)).toEqual(['alert-a', 'alert-b', 'alert-c']);
    });

    it('tells nothing to a viewer who had no view before and has none now', () => {
      const snap = snapshot(2, [A, B, { ...C_RED, leftVersion: 2 }]);
      expect(coordinatedEventFor(snap, viewer('org-v'), THREE_ORGS)).toBeNull();
      expect(coordinatedEventFor(snap, viewer(X), THREE_ORGS)).toEqual({
        name: 'coordinated-alert-withdrawn',
        id: 'coord-1',
      });
    });

    it('keeps parts joined after another left', () => {
      expect(
        partsAt(snapshot(3, [A, { ...B, leftVersion: 2 }, { ...C, joinedVersion: 3 }]), 3).map((p) => p.alertId),
      ).toEqual(['alert-a', 'alert-c']);
      expect(
        partsAt(snapshot(3, [A, { ...B, leftVersion: 2 }, { ...C, joinedVersion: 3 }]), 1).map((p) => p.alertId),
      ).toEqual(['alert-a', 'alert-b']);
    });
  });

  describe('a status change', () => {
    it('is a coordinated-alert-updated, with the new status, for a viewer who may see the alert', () => {
      const event = coordinatedEventFor(snapshot(2, [A, B, C], 'closed', 'active'), viewer('org-v', 1), THREE_ORGS);
      expect(event?.name).toBe('coordinated-alert-updated');
      expect(viewOf(event)?.status).toBe('closed');
      expect(ids(event)).toEqual(['alert-a', 'alert-b', 'alert-c']);
    });

    it('is nothing for a viewer who may not see the alert', () => {
      const amber = snapshot(2, [A, B, C_AMBER], 'closed', 'active');
      expect(coordinatedEventFor(amber, viewer('org-v', 1), THREE_ORGS)).toBeNull();
      expect(viewOf(coordinatedEventFor(amber, viewer('org-v', 2), THREE_ORGS))?.status).toBe('closed');
      const red = snapshot(2, [A, B, C_RED], 'closed', 'active');
      expect(coordinatedEventFor(red, viewer('org-unnamed', 4), THREE_ORGS)).toBeNull();
      expect(coordinatedEventFor(red, viewer(X, 3), THREE_ORGS)?.name).toBe('coordinated-alert-updated');
      expect(coordinatedEventFor(red, viewer('org-a', 0), THREE_ORGS)).toBeNull();
    });

    it('tells the status, but not a RED report joining at the same version, to an unnamed viewer', () => {
      const R = part('alert-red', 'org-red', 'CZ', 2, { tlp: 'RED', recipients: [X], indicatorKeys: [BOTNET] });
      const event = coordinatedEventFor(
        snapshot(2, [A, B, C, R], 'closed', 'active'),
        viewer('org-unnamed', 4),
        THREE_ORGS,
      );
      expect(event?.name).toBe('coordinated-alert-updated');
      expect(viewOf(event)?.status).toBe('closed');
      const leaked = JSON.stringify(event);
      for (const secret of ['alert-red', 'org-red', 'CZ', 'RED']) {
        expect(leaked).not.toContain(secret);
      }
    });
  });

  describe('for any snapshot and any viewer', () => {
    const ORGS = ['org-a', 'org-b', 'org-c', 'org-d', 'org-v'];
    const KEYS = [BOTNET, C2, 'md5:d41d8cd98f00b204e9800998ecf8427e', 'asn:AS64500'];
    const arbPart = fc.record({
      orgId: fc.constantFrom(...ORGS),
      country: fc.constantFrom('DE', 'FR', 'NL', 'PL', null),
      tlp: fc.constantFrom(...TLP_LABELS),
      recipients: fc.subarray(ORGS),
      indicatorKeys: fc.subarray(KEYS),
      cves: fc.subarray(['CVE-2024-3400', 'CVE-2023-4966']),
      hours: fc.integer({ min: 0, max: 200 }),
      // Scaled into 1..version below.
      joined: fc.integer({ min: 0, max: 9 }),
      // Some reports were withdrawn at a later version (or after this one: still standing).
      left: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    });
    const arbCase = fc.record({
      version: fc.integer({ min: 1, max: 4 }),
      specs: fc.array(arbPart, { maxLength: 9 }),
      status: fc.constantFrom(...COORDINATED_ALERT_STATUSES),
      previousStatus: fc.constantFrom(...COORDINATED_ALERT_STATUSES),
      viewer: fc.record({ id: fc.constantFrom(...ORGS), trustLevel: fc.constantFrom(...TRUST_LEVELS) }),
      thresholds: fc.record({ minOrgs: fc.integer({ min: 1, max: 4 }), minCountries: fc.integer({ min: 0, max: 3 }) }),
    });
    type Case = typeof arbCase extends fc.Arbitrary<infer S> ? S : never;
    const build = ({ version, specs, status, previousStatus }: Case): CoordinatedSnapshot =>
      snapshot(
        version,
        specs.map((s, i) =>
          part(`alert-${i}`, s.orgId, s.country, 1 + (s.joined % version), {
            tlp: s.tlp,
            recipients: s.recipients,
            indicatorKeys: s.indicatorKeys,
            cves: s.cves,
            reportedAt: hoursAgo(s.hours),
            ...(s.left !== undefined && s.left > 1 + (s.joined % version) ? { leftVersion: s.left } : {}),
          }),
        ),
        status,
        previousStatus,
      );

    it('is what the snapshot without the reports the viewer may not see gives: hidden reports change nothing', () => {
      fc.assert(
        fc.property(arbCase, (c) => {
          const snap = build(c);
          const visibleOnly = { ...snap, parts: snap.parts.filter((p) => mayReceive(p, c.viewer)) };
          expect(coordinatedEventFor(snap, c.viewer, c.thresholds)).toEqual(
            coordinatedEventFor(visibleOnly, c.viewer, c.thresholds),
          );
        }),
      );
    });

    it('shows only reports the viewer may see, in the viewer’s view of this version', () => {
      fc.assert(
        fc.property(arbCase, (c) => {
          const snap = build(c);
          const event = coordinatedEventFor(snap, c.viewer, c.thresholds);
          const view = currentCoordinatedView(snap, c.viewer, c.thresholds);
          if (view === null) {
            expect(event === null || event.name === 'coordinated-alert-withdrawn').toBe(true);
          }
          if (event === null) {
            return;
          }
          if (!('view' in event)) {
            // Withdrawn: the viewer had a view of the previous version and has none of this one.
            expect(view).toBeNull();
            return;
          }
          expect(event.view).toEqual(view);
          for (const report of event.view.reports) {
            const source = partsAt(snap, snap.version).find((p) => p.alertId === report.alertId);
            expect(source).toBeDefined();
            expect(mayReceive(source!, c.viewer)).toBe(true);
          }
          if (snap.version === 1) {
            expect(event.name).toBe('coordinated-alert');
          }
        }),
      );
    });
  });

  it("shows an anonymous report's org to a hub admin and its submitter, and to no other viewer", () => {
    const anonymousA = part('alert-a', 'org-a', 'DE', 1, { attribution: 'anonymous', reportedAt: hoursAgo(10) });
    const snap = snapshot(1, [anonymousA, B, C]);
    const reportA = (sourceViewer?: { orgId: string; hubAdmin?: boolean }, id = 'org-v') =>
      viewOf(coordinatedEventFor(snap, viewer(id, 4), THREE_ORGS, sourceViewer))?.reports.find(
        (r) => r.alertId === 'alert-a',
      );
    const anonymous = { attribution: 'anonymous', country: 'DE', trustBand: 'trusted' };
    expect(reportA({ orgId: 'hub', hubAdmin: true }, 'hub')).toMatchObject({
      orgId: 'org-a',
      source: { ...anonymous, org: { id: 'org-a', name: null } },
    });
    expect(reportA({ orgId: 'org-a' }, 'org-a')?.orgId).toBe('org-a');
    for (const other of [reportA(), reportA({ orgId: 'org-v' }), reportA({ orgId: 'hub', hubAdmin: false }, 'hub')]) {
      expect(other).not.toHaveProperty('orgId');
      expect(other?.source).toEqual(anonymous);
    }
  });
});
