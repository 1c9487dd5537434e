import { describe, expect, it } from 'vitest';
import type { CoordinatedSnapshot, SnapshotPart } from '@tocsin/domain';
import { reportSpan, snapshotFromJson, snapshotToJson } from './coordinated-snapshot';

const part = (alertId: string, hour: number, over: Partial<SnapshotPart> = {}): SnapshotPart => ({
  alertId,
  orgId: `org-${alertId}`,
  sourceOrgId: `org-${alertId}`,
  country: 'FR',
  trustLevel: 3,
  tlp: 'GREEN',
  recipients: [],
  reportedAt: new Date(Date.UTC(2026, 10, 28, hour)),
  indicatorKeys: ['ipv4:45.137.21.9'],
  cves: [],
  joinedVersion: 1,
  ...over,
});

const snapshot = (parts: SnapshotPart[], version = 2): CoordinatedSnapshot => ({
  id: 'c-1',
  version,
  status: 'active',
  previousStatus: 'active',
  parts,
});

describe(snapshotFromJson.name, () => {
  it('reads back what snapshotToJson wrote, through JSON, withdrawn reports included', () => {
    const s = snapshot([
      part('a', 1),
      part('b', 2, { tlp: 'RED', recipients: ['org-x'], country: null }),
      part('c', 3, { joinedVersion: 2 }),
      part('d', 4, { leftVersion: 2 }),
    ]);
    expect(snapshotFromJson(JSON.parse(JSON.stringify(snapshotToJson(s))))).toEqual(s);
  });

  it.each([
    ['not an object', 'x'],
    ['null', null],
    ['no id', { version: 1, status: 'active', previousStatus: 'active', parts: [] }],
    ['an unknown status', { id: 'c', version: 1, status: 'open', previousStatus: 'active', parts: [] }],
  ])('refuses %s', (_l, json) => {
    expect(snapshotFromJson(json)).toBeNull();
  });

  it('drops a report whose audience or time cannot be read, rather than guess who may see it', () => {
    const good = snapshotToJson(snapshot([part('a', 1)]));
    const parts = (good.parts as Record<string, unknown>[])[0]!;
    const read = snapshotFromJson({
      ...good,
      parts: [parts, { ...parts, alertId: 'x', tlp: 'PURPLE' }, { ...parts, alertId: 'y', reportedAt: 'soon' }],
    });
    expect(read?.parts.map((p) => p.alertId)).toEqual(['a']);
  });
});

describe(reportSpan.name, () => {
  it('spans the reports that stand, and all of them once none does', () => {
    expect(reportSpan(snapshot([part('a', 1, { leftVersion: 2 }), part('b', 5), part('c', 3)]))).toEqual({
      firstReport: new Date(Date.UTC(2026, 10, 28, 3)),
      lastReport: new Date(Date.UTC(2026, 10, 28, 5)),
    });
    expect(reportSpan(snapshot([part('a', 1, { leftVersion: 2 }), part('b', 5, { leftVersion: 2 })]))).toEqual({
      firstReport: new Date(Date.UTC(2026, 10, 28, 1)),
      lastReport: new Date(Date.UTC(2026, 10, 28, 5)),
    });
  });
});
