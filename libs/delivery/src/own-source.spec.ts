import { describe, expect, it } from 'vitest';
import { withOwnSource } from './publish-alert.use-case';

const SUBMITTER = 'a1a1a1a1-0000-4000-8000-000000000001';
const anonymousSource = { attribution: 'anonymous', country: 'DE', trustBand: 'trusted' };
const event = (source: unknown) => ({ name: 'alert', body: { seq: 7, alert: { id: 'alert-1', source } } });
const entry = { event: 'alert', sourceOrgId: SUBMITTER };

describe(withOwnSource.name, () => {
  it('tells the submitter of an anonymous alert its own id', () => {
    expect(withOwnSource(event(anonymousSource), entry, SUBMITTER)).toEqual(
      event({ ...anonymousSource, org: { id: SUBMITTER, name: null } }),
    );
  });

  it.each([
    ['another recipient', 'other-org'],
    ['a named RED recipient', 'red-recipient'],
  ])('leaves the shared anonymous payload as it is for %s', (_, orgId) => {
    const shared = event(anonymousSource);
    expect(withOwnSource(shared, entry, orgId)).toBe(shared);
  });

  it('leaves a named alert and other events unchanged', () => {
    const named = event({ ...anonymousSource, attribution: 'named', org: { id: SUBMITTER, name: 'CERT' } });
    expect(withOwnSource(named, entry, SUBMITTER)).toBe(named);
    const sighting = { name: 'sighting', body: { seq: 8, alertId: 'alert-1' } };
    expect(withOwnSource(sighting, { ...entry, event: 'sighting' }, SUBMITTER)).toBe(sighting);
  });
});
