import { describe, expect, it } from 'vitest';
import { reportPart } from '../../../../test/factories/report-parts';
import { buildCoordinatedView } from '../coordination/coordinated-view';
import {
  anonymousIdentity,
  exportableSource,
  sourceView,
  sourceViewerOf,
  trustBand,
  type AttributedSource,
  type SourceViewer,
} from './attribution';
import { importNative, parseSubmissionQuery } from './compose-submission';

const SUBMITTER = 'a1a1a1a1-0000-4000-8000-000000000001';
const anonymous: AttributedSource = {
  sourceOrgId: SUBMITTER,
  attribution: 'anonymous',
  sourceOrgName: 'CERT Example',
  sourceCountry: 'DE',
  sourceTrustLevel: 3,
};
const named: AttributedSource = { ...anonymous, attribution: 'named' };
const ORG = { id: SUBMITTER, name: 'CERT Example' };

describe(trustBand.name, () => {
  it.each([
    [0, 'provisional'],
    [1, 'provisional'],
    [2, 'member'],
    [3, 'trusted'],
    [4, 'trusted'],
  ] as const)('puts trust level %i in the %s band', (level, band) => {
    expect(trustBand(level)).toBe(band);
  });
});

describe(sourceView.name, () => {
  it.each<[string, SourceViewer | null, boolean]>([
    ['the submitter', { orgId: SUBMITTER }, true],
    ['a hub admin', { orgId: 'hub', hubAdmin: true }, true],
    ['a vetter reading the review queue', { orgId: 'coordinator', reviewing: true }, true],
    ['another member', { orgId: 'other' }, false],
    ['a named RED recipient', { orgId: 'red-recipient' }, false],
    ['any recipient (the shared payload)', null, false],
  ])('shows an anonymous alert to %s with the org: %s', (_, viewer, seesOrg) => {
    const view = sourceView(anonymous, viewer);
    expect(view).toEqual({
      attribution: 'anonymous',
      country: 'DE',
      trustBand: 'trusted',
      ...(seesOrg ? { org: ORG } : {}),
    });
    if (!seesOrg) {
      expect(JSON.stringify(view)).not.toContain(SUBMITTER);
      expect(JSON.stringify(view)).not.toContain('CERT Example');
    }
  });

  it.each<[string, SourceViewer | null]>([
    ['another member', { orgId: 'other' }],
    ['a named RED recipient', { orgId: 'red-recipient' }],
    ['any recipient', null],
  ])('names the org of a named alert to %s', (_, viewer) => {
    expect(sourceView(named, viewer)).toEqual({ attribution: 'named', country: 'DE', trustBand: 'trusted', org: ORG });
  });
});

describe(sourceViewerOf.name, () => {
  it.each([
    ['a hub admin', { orgId: 'hub', orgIsHub: true, role: 'admin' as const }, true],
    ['a hub reader', { orgId: 'hub', orgIsHub: true, role: 'reader' as const }, false],
    ['a member admin', { orgId: 'm', orgIsHub: false, role: 'admin' as const }, false],
  ])('treats %s as hub admin: %s', (_, actor, hubAdmin) => {
    expect(sourceViewerOf(actor).hubAdmin).toBe(hubAdmin);
  });
});

describe(exportableSource.name, () => {
  it('names the org when the viewer may know it', () => {
    expect(exportableSource(sourceView(named, null))).toEqual({ ...ORG, country: 'DE' });
  });

  it('names one identity per country and band for an anonymous alert, never the org', () => {
    const creator = exportableSource(sourceView(anonymous, { orgId: 'other' }));
    const otherOrg = exportableSource(sourceView({ ...anonymous, sourceOrgId: 'another-org' }, null));
    expect(creator).toEqual({ ...anonymousIdentity({ country: 'DE', trustBand: 'trusted' }), country: 'DE' });
    expect(creator.name).toBe('Anonymous trusted member (DE)');
    expect(creator.id).toBe(otherOrg.id);
    expect(creator.id).not.toBe(anonymousIdentity({ country: 'FR', trustBand: 'trusted' }).id);
  });
});

describe('attribution in a submission', () => {
  const limits = { maxIndicators: 10, maxRecipients: 10 };

  it('reads the native JSON field', () => {
    const r = importNative({ title: 't', attribution: 'anonymous' }, limits);
    expect(r.ok && r.value.fields.attribution).toBe('anonymous');
  });

  it('refuses an unknown native value, naming the field', () => {
    const r = importNative({ title: 't', attribution: 'secret' }, limits);
    expect(r.ok ? [] : r.error.map((i) => i.pointer)).toEqual(['/attribution']);
  });

  it.each([
    ['anonymous', 'anonymous'],
    ['Anonymous', 'anonymous'],
    ['named', 'named'],
  ])('reads the query parameter attribution=%s', (given, read) => {
    const r = parseSubmissionQuery({ attribution: given });
    expect(r.ok && r.value.attribution).toBe(read);
  });

  it('refuses an unknown query value', () => {
    const r = parseSubmissionQuery({ attribution: 'nobody' });
    expect(r.ok ? [] : r.error.map((i) => i.pointer)).toEqual(['?attribution']);
  });
});

describe('an anonymous report in a coordinated view', () => {
  const parts = [
    { ...reportPart('alert-a', 'org-a', 'DE'), attribution: 'anonymous' as const },
    reportPart('alert-b', 'org-b', 'FR'),
    reportPart('alert-c', 'org-c', 'NL'),
  ];
  const coordinated = { id: 'coord-1', status: 'active' as const, parts };
  const thresholds = { minOrgs: 3, minCountries: 2 };

  it('shows other viewers its country and band only', () => {
    const view = buildCoordinatedView(coordinated, { id: 'org-b', trustLevel: 3 }, thresholds);
    const report = view?.reports.find((r) => r.alertId === 'alert-a');
    expect(report).toEqual({
      alertId: 'alert-a',
      country: 'DE',
      source: { attribution: 'anonymous', country: 'DE', trustBand: 'trusted' },
      reportedAt: parts[0]?.reportedAt,
    });
    expect(JSON.stringify(view)).not.toContain('org-a');
    expect(view?.orgCount).toBe(3);
  });

  it('names it to its own submitter and to a hub admin', () => {
    for (const [viewer, seer] of [
      [{ id: 'org-a', trustLevel: 3 as const }, undefined],
      [
        { id: 'hub', trustLevel: 4 as const },
        { orgId: 'hub', hubAdmin: true },
      ],
    ] as const) {
      const view = buildCoordinatedView(coordinated, viewer, thresholds, seer);
      expect(view?.reports.find((r) => r.alertId === 'alert-a')?.orgId).toBe('org-a');
    }
  });
});
