import { describe, it, expect } from 'vitest';
import type { Result } from '../shared/result';
import {
  MAX_DESCRIPTION,
  MAX_INDICATOR_VALUE,
  MAX_TITLE,
  parseNativeSubmission,
  type SubmissionLimits,
} from './alert-submission';
import { SEVERITIES, type TlpLabel } from './tlp';

const LIMITS: SubmissionLimits = { maxIndicators: 3, maxRecipients: 2 };
const ORG_A = '3f2c8a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const ORG_B = '9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a';
const ORG_C = 'a1b2c3d4-e5f6-4a7b-9c8d-e9f0a1b2c3d4';

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const b: Record<string, unknown> = {
    title: 'Phishing wave against ministries',
    description: 'Lure documents dropping a loader.',
    severity: 'high',
    tlp: 'GREEN',
    indicators: [
      { type: 'domain', value: 'evil.example' },
      { type: 'ipv4', value: '192.0.2.10' },
    ],
    ...overrides,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) {
      delete b[k];
    }
  }
  return b;
}

/** The distinct pointers of a failed result; fails the test if the result is ok. */
function pointers(r: Result<unknown>): string[] {
  if (r.ok) {
    throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  }
  expect(r.error.length).toBeGreaterThan(0);
  for (const issue of r.error) {
    expect(issue.detail).toMatch(/\S/);
  }
  return [...new Set(r.error.map((i) => i.pointer))];
}

describe('parseNativeSubmission', () => {
  describe('valid bodies', () => {
    it('accepts a complete GREEN alert as submitted', () => {
      expect(parseNativeSubmission(body(), LIMITS)).toEqual({
        ok: true,
        value: {
          title: 'Phishing wave against ministries',
          description: 'Lure documents dropping a loader.',
          severity: 'high',
          tlp: 'GREEN',
          recipients: [],
          indicators: [
            { type: 'domain', value: 'evil.example' },
            { type: 'ipv4', value: '192.0.2.10' },
          ],
        },
      });
    });

    it.each<TlpLabel>(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'])(
      'accepts a TLP:%s alert without recipients',
      (tlp) => {
        const r = parseNativeSubmission(body({ tlp }), LIMITS);
        expect(r.ok && r.value.tlp).toBe(tlp);
        expect(r.ok && r.value.recipients).toEqual([]);
      },
    );

    it.each<TlpLabel>(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'])(
      'accepts an empty recipients list on a TLP:%s alert',
      (tlp) => {
        const r = parseNativeSubmission(body({ tlp, recipients: [] }), LIMITS);
        expect(r.ok && r.value.recipients).toEqual([]);
      },
    );

    it('accepts a RED alert naming its recipients', () => {
      const r = parseNativeSubmission(body({ tlp: 'RED', recipients: [ORG_A, ORG_B] }), LIMITS);
      expect(r.ok && r.value.tlp).toBe('RED');
      expect(r.ok && r.value.recipients).toEqual([ORG_A, ORG_B]);
    });

    it.each(SEVERITIES)('accepts severity %s', (severity) => {
      const r = parseNativeSubmission(body({ severity }), LIMITS);
      expect(r.ok && r.value.severity).toBe(severity);
    });

    it('collapses duplicate recipients, keeping first-seen order', () => {
      const r = parseNativeSubmission(body({ tlp: 'RED', recipients: [ORG_B, ORG_A, ORG_B] }), {
        ...LIMITS,
        maxRecipients: 3,
      });
      expect(r.ok && r.value.recipients).toEqual([ORG_B, ORG_A]);
    });

    it('collapses recipients that differ only in letter case, as lower-case ids', () => {
      const r = parseNativeSubmission(body({ tlp: 'RED', recipients: [ORG_C.toUpperCase(), ORG_C] }), LIMITS);
      expect(r.ok && r.value.recipients).toEqual([ORG_C]);
    });

    it('trims the title and indicator values', () => {
      const r = parseNativeSubmission(
        body({ title: '  Ransomware  ', indicators: [{ type: 'md5', value: ' d41d8cd98f00b204e9800998ecf8427e\n' }] }),
        LIMITS,
      );
      expect(r.ok && r.value.title).toBe('Ransomware');
      expect(r.ok && r.value.indicators).toEqual([{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }]);
    });

    it.each([
      ['absent', undefined],
      ['null', null],
    ])('turns an %s description into null', (_case, description) => {
      const r = parseNativeSubmission(body({ description }), LIMITS);
      expect(r.ok && r.value.description).toBeNull();
      expect(r.ok).toBe(true);
    });

    it('keeps an empty description as given', () => {
      const r = parseNativeSubmission(body({ description: '' }), LIMITS);
      expect(r.ok && r.value.description).toBe('');
    });

    it('defaults missing indicators to none', () => {
      const r = parseNativeSubmission(body({ indicators: undefined }), LIMITS);
      expect(r.ok && r.value.indicators).toEqual([]);
    });

    it('accepts fields at their maximum lengths', () => {
      const r = parseNativeSubmission(
        body({
          title: 't'.repeat(MAX_TITLE),
          description: 'd'.repeat(MAX_DESCRIPTION),
          indicators: [{ type: 'url', value: 'u'.repeat(MAX_INDICATOR_VALUE) }],
        }),
        LIMITS,
      );
      expect(r.ok).toBe(true);
    });

    it('leaves indicator values unchecked (normalization checks them)', () => {
      const r = parseNativeSubmission(body({ indicators: [{ type: 'ipv4', value: 'not an address' }] }), LIMITS);
      expect(r.ok && r.value.indicators).toEqual([{ type: 'ipv4', value: 'not an address' }]);
    });
  });

  describe('bad fields', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['a missing title', { title: undefined }, '/title'],
      ['an empty title', { title: '' }, '/title'],
      ['a blank title', { title: ' \t ' }, '/title'],
      ['an overlong title', { title: 't'.repeat(MAX_TITLE + 1) }, '/title'],
      ['a numeric title', { title: 42 }, '/title'],
      ['an overlong description', { description: 'd'.repeat(MAX_DESCRIPTION + 1) }, '/description'],
      ['a numeric description', { description: 5 }, '/description'],
      ['an unknown severity', { severity: 'urgent' }, '/severity'],
      ['an upper-case severity', { severity: 'HIGH' }, '/severity'],
      ['a missing severity', { severity: undefined }, '/severity'],
      ['a lower-case TLP', { tlp: 'amber' }, '/tlp'],
      ['the retired TLP:WHITE', { tlp: 'WHITE' }, '/tlp'],
      ['a prefixed TLP', { tlp: 'TLP:RED' }, '/tlp'],
      ['a missing TLP', { tlp: undefined }, '/tlp'],
      ['recipients that are not an array', { tlp: 'RED', recipients: ORG_A }, '/recipients'],
      ['a recipient that is not a UUID', { tlp: 'RED', recipients: ['cert-fr'] }, '/recipients/0'],
      ['a second recipient that is not a UUID', { tlp: 'RED', recipients: [ORG_A, 42] }, '/recipients/1'],
      ['indicators that are not an array', { indicators: 'evil.example' }, '/indicators'],
      ['an indicator that is not an object', { indicators: ['evil.example'] }, '/indicators/0'],
      [
        'an unknown indicator type',
        {
          indicators: [
            { type: 'ipv4', value: '192.0.2.1' },
            { type: 'domain', value: 'evil.example' },
            { type: 'mutex', value: 'Global\\x' },
          ],
        },
        '/indicators/2/type',
      ],
      ['a missing indicator type', { indicators: [{ value: '192.0.2.1' }] }, '/indicators/0/type'],
      ['a blank indicator value', { indicators: [{ type: 'ipv4', value: '   ' }] }, '/indicators/0/value'],
      ['a missing indicator value', { indicators: [{ type: 'ipv4' }] }, '/indicators/0/value'],
      ['a numeric indicator value', { indicators: [{ type: 'asn', value: 64496 }] }, '/indicators/0/value'],
      [
        'an overlong indicator value',
        { indicators: [{ type: 'url', value: 'u'.repeat(MAX_INDICATOR_VALUE + 1) }] },
        '/indicators/0/value',
      ],
      [
        'an unknown indicator field',
        { indicators: [{ type: 'ipv4', value: '192.0.2.1', comment: 'c2' }] },
        '/indicators/0/comment',
      ],
      ['an unknown top-level key', { priority: 1 }, '/priority'],
      ['an unknown key holding a slash', { 'x/y': 1 }, '/x~1y'],
    ])('rejects %s with an issue at %s', (_case, overrides, pointer) => {
      expect(pointers(parseNativeSubmission(body(overrides), LIMITS))).toEqual([pointer]);
    });

    it('reports every bad field at once', () => {
      const r = parseNativeSubmission(
        body({ title: '', severity: 'x', tlp: 'x', extra: 1, indicators: [{ type: 'x', value: '' }] }),
        LIMITS,
      );
      expect(pointers(r).sort()).toEqual([
        '/extra',
        '/indicators/0/type',
        '/indicators/0/value',
        '/severity',
        '/title',
        '/tlp',
      ]);
    });

    it('explains the allowed values of an enum', () => {
      const r = parseNativeSubmission(body({ tlp: 'WHITE' }), LIMITS);
      expect(r).toEqual({
        ok: false,
        error: [{ pointer: '/tlp', detail: 'must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED' }],
      });
    });
  });

  describe('TLP:RED recipients', () => {
    it.each([
      ['missing', undefined],
      ['empty', []],
    ])('rejects a RED alert whose recipients are %s', (_case, recipients) => {
      expect(pointers(parseNativeSubmission(body({ tlp: 'RED', recipients }), LIMITS))).toEqual(['/recipients']);
    });

    it.each<TlpLabel>(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'])('rejects recipients on a TLP:%s alert', (tlp) => {
      expect(pointers(parseNativeSubmission(body({ tlp, recipients: [ORG_A] }), LIMITS))).toEqual(['/recipients']);
    });
  });

  describe('limits', () => {
    const indicators = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'ipv4', value: `192.0.2.${i}` }));
    const recipients = [ORG_A, ORG_B, ORG_C];

    it('accepts exactly maxIndicators indicators', () => {
      const r = parseNativeSubmission(body({ indicators: indicators(3) }), LIMITS);
      expect(r.ok && r.value.indicators).toHaveLength(3);
    });

    it('rejects one indicator more than maxIndicators', () => {
      expect(pointers(parseNativeSubmission(body({ indicators: indicators(4) }), LIMITS))).toEqual(['/indicators']);
    });

    it('honours the limits it is given', () => {
      expect(parseNativeSubmission(body({ indicators: indicators(4) }), { ...LIMITS, maxIndicators: 4 }).ok).toBe(true);
      expect(
        pointers(parseNativeSubmission(body({ indicators: indicators(1) }), { ...LIMITS, maxIndicators: 0 })),
      ).toEqual(['/indicators']);
    });

    it('accepts exactly maxRecipients recipients', () => {
      const r = parseNativeSubmission(body({ tlp: 'RED', recipients: recipients.slice(0, 2) }), LIMITS);
      expect(r.ok && r.value.recipients).toEqual([ORG_A, ORG_B]);
    });

    it('rejects one recipient more than maxRecipients', () => {
      expect(pointers(parseNativeSubmission(body({ tlp: 'RED', recipients }), LIMITS))).toEqual(['/recipients']);
    });

    it('states the limit in the issue', () => {
      const r = parseNativeSubmission(body({ indicators: indicators(4) }), LIMITS);
      expect(r).toEqual({ ok: false, error: [{ pointer: '/indicators', detail: 'must hold at most 3 indicators' }] });
    });
  });

  describe('non-object bodies', () => {
    it.each([[null], [undefined], [[]], [[body()]], ['{"title":"x"}'], [42], [true]])(
      'rejects %j as a whole',
      (input) => {
        expect(parseNativeSubmission(input, LIMITS)).toEqual({
          ok: false,
          error: [{ pointer: '', detail: 'the body must be a JSON object' }],
        });
      },
    );
  });
});
