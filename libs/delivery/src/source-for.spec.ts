import { describe, expect, it } from 'vitest';
import { withSourceFor } from './publish-alert.use-case';

const SUBMITTER = 'a1a1a1a1-0000-4000-8000-000000000001';
const HUB = 'b2b2b2b2-0000-4000-8000-000000000002';
const anonymousSource = { attribution: 'anonymous', country: 'DE', trustBand: 'trusted' };
const event = (source: unknown) => ({ name: 'alert', body: { seq: 7, alert: { id: 'alert-1', source } } });
const entry = { event: 'alert', sourceOrgId: SUBMITTER, sourceOrgName: 'CERT-Submitter' };
const named = {
  name: 'alert',
  body: {
    seq: 7,
    alert: {
      id: 'alert-1',
      source: { ...anonymousSource, org: { id: SUBMITTER, name: 'CERT-Submitter' } },
      sourceOrg: { id: SUBMITTER, name: 'CERT-Submitter', country: 'DE' },
    },
  },
};

describe(withSourceFor.name, () => {
  it('tells the submitter of an anonymous alert its own id and name', () => {
    expect(withSourceFor(event(anonymousSource), entry, { orgId: SUBMITTER })).toEqual(named);
  });

  it('tells a hub admin the org (id and name) of an anonymous alert', () => {
    expect(withSourceFor(event(anonymousSource), entry, { orgId: HUB, hubAdmin: true })).toEqual(named);
  });

  it.each([
    ['another recipient', { orgId: 'other-org' }],
    ['a non-admin key of the hub', { orgId: HUB, hubAdmin: false }],
    ['a named RED recipient', { orgId: 'red-recipient' }],
  ])('leaves the shared anonymous payload as it is for %s', (_, viewer) => {
    const shared = event(anonymousSource);
    expect(withSourceFor(shared, entry, viewer)).toBe(shared);
  });

  it('leaves a named alert under its current name and other events unchanged', () => {
    const namedAlert = event({
      ...anonymousSource,
      attribution: 'named',
      org: { id: SUBMITTER, name: 'CERT-Submitter' },
    });
    expect(withSourceFor(namedAlert, entry, { orgId: SUBMITTER })).toBe(namedAlert);
    expect(withSourceFor(namedAlert, { ...entry, sourceOrgName: null }, { orgId: 'other-org' })).toBe(namedAlert);
    const sighting = { name: 'sighting', body: { seq: 8, alertId: 'alert-1' } };
    expect(withSourceFor(sighting, { ...entry, event: 'sighting' }, { orgId: HUB, hubAdmin: true })).toBe(sighting);
  });

  it('names the org of a named alert by its name now, for every viewer, when it was renamed since publication', () => {
    const published = {
      name: 'alert',
      body: {
        seq: 9,
        alert: {
          id: 'alert-2',
          source: { attribution: 'named', country: 'DE', trustBand: 'trusted', org: { id: SUBMITTER, name: 'Old' } },
          sourceOrg: { id: SUBMITTER, name: 'Old', country: 'DE' },
        },
      },
    };
    const sent = withSourceFor(published, entry, { orgId: 'other-org' });
    expect(sent?.body.alert).toEqual({
      id: 'alert-2',
      source: {
        attribution: 'named',
        country: 'DE',
        trustBand: 'trusted',
        org: { id: SUBMITTER, name: 'CERT-Submitter' },
      },
      sourceOrg: { id: SUBMITTER, name: 'CERT-Submitter', country: 'DE' },
    });
    // The stored payload is not touched (replay reads it again).
    expect(published.body.alert.sourceOrg.name).toBe('Old');
  });
});
