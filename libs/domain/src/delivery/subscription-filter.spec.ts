import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, TLP_LABELS } from '../alerts/tlp';
import { INDICATOR_TYPES } from '../alerts/indicator-types';
import { compileRsit } from '../model/taxonomies';
import {
  matchedSubscriptions,
  matchesFilter,
  parseAttachedSubscriptions,
  parseSubscriptionChange,
  parseSubscriptionInput,
  resumeSeq,
  rsitFilterCheck,
  storedFilter,
  subscriptionWants,
  type AlertFacets,
  type SubscriptionFilter,
} from './subscription-filter';

const rsit = compileRsit({
  namespace: 'rsit',
  predicates: [{ value: 'malicious-code' }, { value: 'fraud' }],
  values: [
    { predicate: 'malicious-code', entry: [{ value: 'c2-server' }, { value: 'infected-system' }] },
    { predicate: 'fraud', entry: [{ value: 'phishing' }] },
  ],
});
const check = rsitFilterCheck(rsit);

const alert: AlertFacets = {
  severity: 'high',
  tlp: 'AMBER',
  classification: { taxonomy: 'malicious-code', type: 'c2-server' },
  indicatorTypes: ['ipv4', 'domain'],
  sectors: ['Energy', 'health'],
  countries: ['FI', 'SE'],
  sourceCountry: 'DE',
};

describe(matchesFilter.name, () => {
  it.each<[string, SubscriptionFilter, boolean]>([
    ['no filter at all', {}, true],
    ['minSeverity at the alert’s', { minSeverity: 'high' }, true],
    ['minSeverity below it', { minSeverity: 'low' }, true],
    ['minSeverity above it', { minSeverity: 'critical' }, false],
    ['tlp listing its label', { tlp: ['GREEN', 'AMBER'] }, true],
    ['tlp not listing it', { tlp: ['CLEAR', 'GREEN'] }, false],
    ['a classification by taxonomy', { classifications: ['malicious-code'] }, true],
    ['a classification by taxonomy/type', { classifications: ['fraud', 'malicious-code/c2-server'] }, true],
    ['another type of the taxonomy', { classifications: ['malicious-code/infected-system'] }, false],
    ['an indicator type it carries', { indicatorTypes: ['url', 'domain'] }, true],
    ['indicator types it lacks', { indicatorTypes: ['sha256'] }, false],
    ['a sector, whatever its case', { sectors: ['ENERGY'] }, true],
    ['another sector', { sectors: ['finance'] }, false],
    ['a targeted country', { countries: ['SE'] }, true],
    ['an untargeted country', { countries: ['NO'] }, false],
    ['the source country', { sourceCountries: ['DE', 'FR'] }, true],
    ['another source country', { sourceCountries: ['FR'] }, false],
    ['coordinatedOnly (a single alert is not coordinated)', { coordinatedOnly: true }, false],
    ['coordinatedOnly false', { coordinatedOnly: false }, true],
    [
      'all filters matching (AND)',
      { minSeverity: 'medium', tlp: ['AMBER'], countries: ['FI'], sectors: ['health'] },
      true,
    ],
    ['all but one matching (AND)', { minSeverity: 'medium', tlp: ['AMBER'], countries: ['NO'] }, false],
  ])('%s → %s', (_, f, expected) => {
    expect(matchesFilter(f, alert)).toBe(expected);
  });

  it('never matches a classification filter on an unclassified alert', () => {
    expect(matchesFilter({ classifications: ['fraud'] }, { ...alert, classification: null })).toBe(false);
  });

  const facets = fc.record({
    severity: fc.constantFrom(...SEVERITIES),
    tlp: fc.constantFrom(...TLP_LABELS),
    classification: fc.option(
      fc.record({
        taxonomy: fc.constantFrom('fraud', 'malicious-code'),
        type: fc.constantFrom('phishing', 'c2-server'),
      }),
      { nil: null },
    ),
    indicatorTypes: fc.subarray([...INDICATOR_TYPES]),
    sectors: fc.subarray(['energy', 'health', 'finance']),
    countries: fc.subarray(['FI', 'SE', 'NO']),
    sourceCountry: fc.option(fc.constantFrom('FI', 'DE'), { nil: null }),
  });
  const filter: fc.Arbitrary<SubscriptionFilter> = fc.record(
    {
      minSeverity: fc.constantFrom(...SEVERITIES),
      tlp: fc.subarray([...TLP_LABELS], { minLength: 1 }),
      indicatorTypes: fc.subarray([...INDICATOR_TYPES], { minLength: 1 }),
      sectors: fc.subarray(['energy', 'health', 'finance'], { minLength: 1 }),
      countries: fc.subarray(['FI', 'SE', 'NO'], { minLength: 1 }),
      sourceCountries: fc.subarray(['FI', 'DE'], { minLength: 1 }),
    },
    { requiredKeys: [] },
  );

  it('is the AND of each filter alone (property)', () => {
    fc.assert(
      fc.property(filter, facets, (f, a) => {
        const parts = Object.entries(f).map(([k, v]) => matchesFilter({ [k]: v }, a));
        expect(matchesFilter(f, a)).toBe(parts.every(Boolean));
      }),
    );
  });

  it('only narrows when a filter is added (property)', () => {
    fc.assert(
      fc.property(filter, filter, facets, (f, g, a) => {
        if (matchesFilter({ ...f, ...g }, a)) {
          expect(matchesFilter(g, a)).toBe(true);
        }
      }),
    );
  });
});

describe(matchedSubscriptions.name, () => {
  const subs = [
    { id: 's-high', filter: { minSeverity: 'high' } as SubscriptionFilter },
    { id: 's-fi', filter: { countries: ['FI'] } as SubscriptionFilter },
    { id: 's-coord', filter: { coordinatedOnly: true } as SubscriptionFilter },
    { id: 's-red', filter: { tlp: ['RED'] } as SubscriptionFilter },
  ];

  it('names every subscription an alert matches, in the socket’s order', () => {
    expect(matchedSubscriptions(subs, { kind: 'alert', facets: alert })).toEqual(['s-high', 's-fi']);
  });

  it('sends coordinated events only to coordinatedOnly subscriptions', () => {
    expect(matchedSubscriptions(subs, { kind: 'coordinated' })).toEqual(['s-coord']);
    expect(subscriptionWants({ minSeverity: 'low' }, { kind: 'coordinated' })).toBe(false);
  });
});

describe(parseSubscriptionInput.name, () => {
  it('accepts every filter and keeps only the ones given', () => {
    const r = parseSubscriptionInput(
      {
        name: ' finland ',
        filters: {
          minSeverity: 'medium',
          tlp: ['GREEN'],
          classifications: ['fraud', 'malicious-code/c2-server'],
          indicatorTypes: ['ipv4'],
          sectors: ['energy'],
          countries: ['FI'],
          sourceCountries: ['SE'],
          coordinatedOnly: false,
        },
      },
      check,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'finland',
        filters: {
          minSeverity: 'medium',
          tlp: ['GREEN'],
          classifications: ['fraud', 'malicious-code/c2-server'],
          indicatorTypes: ['ipv4'],
          sectors: ['energy'],
          countries: ['FI'],
          sourceCountries: ['SE'],
          coordinatedOnly: false,
        },
      },
    });
    expect(parseSubscriptionInput({}, check)).toEqual({ ok: true, value: { name: null, filters: {} } });
  });

  it.each<[string, unknown, string]>([
    ['an unknown severity', { minSeverity: 'huge' }, '/filters/minSeverity'],
    ['an unknown TLP label', { tlp: ['PURPLE'] }, '/filters/tlp/0'],
    ['an unknown RSIT class', { classifications: ['nope'] }, '/filters/classifications/0'],
    ['a type of another class', { classifications: ['fraud/c2-server'] }, '/filters/classifications/0'],
    ['an unknown indicator type', { indicatorTypes: ['ipv5'] }, '/filters/indicatorTypes/0'],
    ['an empty list', { countries: [] }, '/filters/countries'],
    ['a lower-case country', { sourceCountries: ['fi'] }, '/filters/sourceCountries/0'],
    ['too many values', { sectors: Array.from({ length: 51 }, (_, i) => `s${i}`) }, '/filters/sectors'],
    ['a non-boolean', { coordinatedOnly: 'yes' }, '/filters/coordinatedOnly'],
    ['an unknown filter', { severity: 'high' }, '/filters/severity'],
    ['an unstorable sector', { sectors: ['a\u0000b'] }, '/filters/sectors/0'],
  ])('refuses %s, naming the field', (_, filters, pointer) => {
    const r = parseSubscriptionInput({ filters }, check);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.error.map((i) => i.pointer)).toContain(pointer);
  });

  it('refuses a change that changes nothing', () => {
    expect(parseSubscriptionChange({}, check).ok).toBe(false);
    expect(parseSubscriptionChange({ filters: {} }, check)).toEqual({ ok: true, value: { filters: {} } });
  });
});

describe(storedFilter.name, () => {
  it('reads a stored filter back, and one it cannot read as matching nothing', () => {
    expect(storedFilter({ countries: ['FI'] })).toEqual({ countries: ['FI'] });
    const broken = storedFilter({ countries: 'FI' });
    expect(matchesFilter(broken, alert)).toBe(false);
    expect(subscriptionWants(broken, { kind: 'coordinated' })).toBe(false);
  });
});

describe(parseAttachedSubscriptions.name, () => {
  const isId = (s: string) => /^[0-9a-f-]{36}$/i.test(s);
  const id = '0b0e5d0e-8f6b-4a3a-9d55-6c9a4b8b1f10';
  it.each<[unknown, string[] | 'invalid']>([
    [undefined, []],
    [null, []],
    [[id, id.toUpperCase()], [id]],
    ['x', 'invalid'],
    [[1], 'invalid'],
    [['not-a-uuid'], 'invalid'],
    [Array.from({ length: 21 }, () => id), 'invalid'],
  ])('%j → %j', (v, expected) => {
    expect(parseAttachedSubscriptions(v, isId)).toEqual(expected);
  });
});

describe(resumeSeq.name, () => {
  it.each<[number | null, number[], number | null]>([
    [12, [40, 50], 12],
    [null, [40, 50], 40],
    [null, [], null],
    [0, [], 0],
  ])('lastSeq %j, acks %j → %j', (lastSeq, acked, expected) => {
    expect(resumeSeq(lastSeq, acked)).toBe(expected);
  });
});
