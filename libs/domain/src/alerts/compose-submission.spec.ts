import { describe, expect, it } from 'vitest';
import type { ImportedAlert } from '../model/canonical';
import {
  composeSubmission,
  importNative,
  parseSubmissionQuery,
  RED_RECIPIENT_REFUSED,
  refusedRecipients,
} from './compose-submission';

const limits = { maxIndicators: 5, maxRecipients: 2 };
const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const anyClassification = () => null;

const native = (over: Record<string, unknown> = {}) => ({
  title: 'Botnet',
  severity: 'high',
  tlp: 'GREEN',
  indicators: [{ type: 'ipv4', value: '198.51.100.1' }],
  ...over,
});

function imported(fields: ImportedAlert['fields'], format: ImportedAlert['format'] = 'csv'): ImportedAlert {
  return { format, fields, indicators: [{ value: 'example.net', source: 'line 1' }], unsupported: [] };
}

describe(importNative.name, () => {
  it('reads every canonical field and keeps indicator order, types and comments', () => {
    const r = importNative(
      native({
        confidence: 80,
        classification: { taxonomy: 'malicious-code', type: 'c2-server' },
        sectors: ['energy'],
        countries: ['FR'],
        firstSeen: '2026-11-01T10:00:00Z',
        references: ['https://cert.example/advisory/1'],
        indicators: [
          { type: 'ipv4', value: '198.51.100.1' },
          { value: 'evil.example.net', comment: 'C2' },
        ],
      }),
      limits,
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.fields).toMatchObject({
        title: 'Botnet',
        severity: 'high',
        tlp: 'GREEN',
        confidence: 80,
        sectors: ['energy'],
      });
      expect(r.value.indicators).toEqual([
        { type: 'ipv4', value: '198.51.100.1', comment: null, source: '/indicators/0' },
        { value: 'evil.example.net', comment: 'C2', source: '/indicators/1' },
      ]);
    }
  });

  it.each([
    ['a missing title', { title: undefined }, '/title'],
    ['a bad severity', { severity: 'urgent' }, '/severity'],
    ['a TLP 1.0 label', { tlp: 'WHITE' }, '/tlp'],
    ['confidence over 100', { confidence: 101 }, '/confidence'],
    ['a timestamp without zone', { firstSeen: '2026-11-01T10:00:00' }, '/firstSeen'],
    ['a lower-case country', { countries: ['fr'] }, '/countries/0'],
    ['a bad indicator type', { indicators: [{ type: 'mutex', value: 'x' }] }, '/indicators/0/type'],
    ['a blank indicator value', { indicators: [{ type: 'ipv4', value: ' ' }] }, '/indicators/0/value'],
    [
      'too many indicators',
      { indicators: Array.from({ length: 6 }, () => ({ value: 'a.example.net' })) },
      '/indicators',
    ],
    ['an unknown field', { priority: 1 }, '/priority'],
  ])('names the field for %s', (_l, over, pointer) => {
    const r = importNative(native(over), limits);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.map((i) => i.pointer)).toContain(pointer);
    }
  });

  it.each([[null], [[]], ['x'], [3]])('refuses a body that is not an object (%j)', (body) => {
    const r = importNative(body, limits);
    expect(r.ok).toBe(false);
  });
});

describe(parseSubmissionQuery.name, () => {
  it('reads title, tlp, severity and comma-separated recipients', () => {
    const r = parseSubmissionQuery({
      title: 'Feed',
      tlp: 'RED',
      severity: 'low',
      recipients: `${R1}, ${R2}`,
      format: 'csv',
    });
    expect(r).toEqual({ ok: true, value: { title: 'Feed', tlp: 'RED', severity: 'low', recipients: [R1, R2] } });
  });

  it.each([
    [
      { tlp: 'green', severity: 'High' },
      { tlp: 'GREEN', severity: 'high' },
    ],
    [{ tlp: 'TLP:AMBER+STRICT' }, { tlp: 'AMBER+STRICT' }],
    [{ tlp: 'white' }, { tlp: 'CLEAR' }],
  ])('reads %j as typed by hand', (query, value) => {
    expect(parseSubmissionQuery(query)).toEqual({ ok: true, value });
  });

  it.each([
    [{ tlp: 'purple' }, '?tlp'],
    [{ severity: 'x' }, '?severity'],
    [{ recipients: 'not-a-uuid' }, '?recipients'],
    [{ title: ['a', 'b'] }, '?title'],
  ])('names the bad parameter in %j', (q, pointer) => {
    const r = parseSubmissionQuery(q);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error[0]?.pointer).toBe(pointer);
    }
  });
});

describe(composeSubmission.name, () => {
  it('lets the document win and the query fill the gaps', () => {
    const r = composeSubmission(
      imported({ title: 'From the document', tlp: 'GREEN' }),
      { title: 'From the query', tlp: 'RED', severity: 'low' },
      limits,
      anyClassification,
    );
    expect(r.ok && r.value).toMatchObject({
      title: 'From the document',
      tlp: 'GREEN',
      severity: 'low',
      tlpDefaulted: false,
    });
  });

  it('defaults to TLP:AMBER, says so, and never to CLEAR or GREEN', () => {
    const r = composeSubmission(imported({}), { title: 'List' }, limits, anyClassification);
    expect(r.ok && r.value).toMatchObject({ tlp: 'AMBER', tlpDefaulted: true, severity: 'medium' });
  });

  it('asks for ?title when neither the document nor the query has one', () => {
    const r = composeSubmission(imported({}), {}, limits, anyClassification);
    expect(r).toEqual({
      ok: false,
      error: [{ pointer: '?title', detail: expect.stringContaining('title query parameter') }],
    });
  });

  it.each([
    ['RED without recipients', {}, { title: 't', tlp: 'RED' as const }, '?recipients'],
    ['recipients without RED', {}, { title: 't', tlp: 'GREEN' as const, recipients: [R1] }, '?recipients'],
  ])('refuses %s', (_l, fields, query, pointer) => {
    const r = composeSubmission(imported(fields), query, limits, anyClassification);
    expect(!r.ok && r.error.map((i) => i.pointer)).toEqual([pointer]);
  });

  it('merges recipients from the document and the query, case-insensitively', () => {
    const r = composeSubmission(
      imported({ recipients: [R1.toUpperCase()] }, 'native'),
      { title: 't', tlp: 'RED', recipients: [R1, R2] },
      limits,
      anyClassification,
    );
    expect(r.ok && r.value.recipients).toEqual([R1, R2]);
  });

  it('refuses more indicators than the limit', () => {
    const many: ImportedAlert = {
      ...imported({ title: 't' }),
      indicators: Array.from({ length: 6 }, (_, i) => ({ value: `${i}.example.net`, source: `line ${i + 1}` })),
    };
    const r = composeSubmission(many, {}, limits, anyClassification);
    expect(!r.ok && r.error[0]?.detail).toContain('at most 5 indicators');
  });

  it('refuses a classification the vocabulary check rejects', () => {
    const r = composeSubmission(
      imported({ title: 't', classification: { taxonomy: 'x', type: 'y' } }, 'native'),
      {},
      limits,
      () => 'unknown RSIT class x',
    );
    expect(!r.ok && r.error).toEqual([{ pointer: '/classification', detail: 'unknown RSIT class x' }]);
  });
});

describe(refusedRecipients.name, () => {
  const R3 = '33333333-3333-4333-8333-333333333333';
  const known = new Map([
    [R1, 3],
    [R2, 0],
    [R3, 2],
  ]);
  const UNKNOWN = '44444444-4444-4444-8444-444444444444';

  it('accepts recipients at or above the minimum trust', () => {
    expect(refusedRecipients({ format: 'native', recipients: [R1] }, known, 3)).toEqual([]);
    expect(refusedRecipients({ format: 'native', recipients: [R1, R3] }, known, 2)).toEqual([]);
  });

  it('gives an unknown, a suspended and a too-low-trust recipient one and the same issue', () => {
    const issues = refusedRecipients({ format: 'native', recipients: [R1, UNKNOWN, R2, R3] }, known, 3);
    expect(issues).toEqual([
      { pointer: '/recipients/1', detail: RED_RECIPIENT_REFUSED },
      { pointer: '/recipients/2', detail: RED_RECIPIENT_REFUSED },
      { pointer: '/recipients/3', detail: RED_RECIPIENT_REFUSED },
    ]);
    for (const i of issues) {
      expect(i.detail).not.toMatch(/trust|exist|suspend|[0-9a-f]{8}-/i);
    }
  });

  it('refuses a suspended organisation even when the minimum trust is 0', () => {
    expect(refusedRecipients({ format: 'native', recipients: [R2] }, known, 0)).toHaveLength(1);
  });

  it('points at the query parameter for formats that cannot carry recipients', () => {
    expect(refusedRecipients({ format: 'stix', recipients: [UNKNOWN] }, known, 3)).toEqual([
      { pointer: '?recipients', detail: RED_RECIPIENT_REFUSED },
    ]);
  });
});
