import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TlpLabel } from '../../alerts/tlp';
import type { ImportedAlert, RawIndicator } from '../../model/canonical';
import type { Issue } from '../../shared/result';
import {
  importStixBundle,
  MAX_STIX_OBJECTS,
  MAX_STIX_PATTERN_LENGTH,
  MAX_STIX_UNSUPPORTED,
  PREDEFINED_TLP_MARKINGS,
  STIX_2_0_REFUSAL,
} from './index';

const FIXTURES = resolve(__dirname, '../../../../../test/fixtures/stix');
const fixture = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));

function imported(doc: unknown): ImportedAlert {
  const r = importStixBundle(doc);
  if (!r.ok) {
    throw new Error(`expected an import, got ${JSON.stringify(r.error)}`);
  }
  return r.value;
}

function refused(doc: unknown): Issue[] {
  const r = importStixBundle(doc);
  if (r.ok) {
    throw new Error('expected a refusal, got an import');
  }
  return r.error;
}

const countBy = (indicators: readonly RawIndicator[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of indicators) {
    const key = `${i.type ?? 'untyped'}${i.actionable === false ? ' (observed)' : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

/** RFC 6901: the value a JSON pointer designates in a document. */
function atPointer(doc: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown> | undefined)?.[token], doc);
}

const bundle = (objects: unknown[]): unknown => ({
  type: 'bundle',
  id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects,
});

const IND_ID = 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f';

const indicator = (pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator',
  spec_version: '2.1',
  id: IND_ID,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
  ...extra,
});

describe(importStixBundle.name, () => {
  describe('on the real fixtures', () => {
    const table: [string, Record<string, number>, number, string | undefined, TlpLabel | undefined][] = [
      // file, indicators by type, unsupported count, title, tlp
      ['amnesty-wintego-helios.stix2.json', { domain: 175 }, 0, 'Wintego Helios', undefined],
      [
        'oasis-poisonivy-report.json',
        { ipv4: 40, domain: 25, cve: 6 },
        2,
        'Poison Ivy: Assessing Damage and Extracting Intelligence',
        undefined,
      ],
      ['oasis-indicator-for-malicious-url.json', { url: 1 }, 0, 'Malicious site hosting downloader', undefined],
      ['oasis-malware-indicator-for-file-hash.json', { sha256: 1 }, 0, 'File hash for Poison Ivy variant', undefined],
      ['oasis-indicators-for-C2-with-COA.json', { ipv4: 1, sha256: 1 }, 0, 'Poison Ivy', undefined],
      ['oasis-sighting-of-an-indicator.json', { url: 1 }, 0, 'Malicious URL', undefined],
      ['oasis-using-marking-definitions.json', { ipv4: 1 }, 0, 'Known malicious IP Address', 'AMBER'],
      [
        'misp-stix-test_event1_stix21.json',
        { domain: 1, 'asn (observed)': 1 },
        0,
        'MISP-STIX-Converter test event with AS attribute',
        undefined,
      ],
      ['tlp2/tlp-clear.json', {}, 0, undefined, undefined],
      ['tlp2/tlp-green.json', {}, 0, undefined, undefined],
      ['tlp2/tlp-amber.json', {}, 0, undefined, undefined],
      ['tlp2/tlp-amber+strict.json', {}, 0, undefined, undefined],
      ['tlp2/tlp-red.json', {}, 0, undefined, undefined],
    ];
    const refusedFixtures: [string, Issue[]][] = [
      [
        'tlp2/extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.json',
        [{ pointer: '/type', detail: 'type must be "bundle"' }],
      ],
      [
        'tlp2/tlp2-extension.schema.json',
        [
          { pointer: '/type', detail: 'type must be "bundle"' },
          { pointer: '/objects', detail: 'objects must be an array of STIX objects' },
        ],
      ],
    ];

    it('has a row for every file in test/fixtures/stix', () => {
      const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
      expect([...table.map((r) => r[0]), ...refusedFixtures.map((r) => r[0])].sort()).toEqual(files.sort());
    });

    it.each(table)('reads %s: %j, %i unsupported, title %j, TLP %s', (file, counts, unsupported, title, tlp) => {
      const alert = imported(fixture(file));
      expect(alert.format).toBe('stix');
      expect(countBy(alert.indicators)).toEqual(counts);
      expect(alert.unsupported).toHaveLength(unsupported);
      expect(alert.fields.title).toBe(title);
      expect(alert.fields.tlp).toBe(tlp);
    });

    it.each(refusedFixtures)('refuses %s, which is not a bundle', (file, issues) => {
      expect(refused(fixture(file))).toEqual(issues);
    });

    it.each(table.map((row) => row[0]))('points every indicator of %s at the text it came from', (file) => {
      const doc = fixture(file);
      for (const indicator of imported(doc).indicators) {
        const source = atPointer(doc, indicator.source);
        if (indicator.type === 'asn') {
          expect(`AS${String(source)}`).toBe(indicator.value);
        } else {
          expect(typeof source).toBe('string');
          expect(source as string).toContain(indicator.value);
        }
      }
    });

    it('reads the 175 Amnesty domains, ignoring the dangling relationship', () => {
      const doc = fixture('amnesty-wintego-helios.stix2.json');
      const alert = imported(doc);
      expect(alert.indicators).toHaveLength(175);
      expect(new Set(alert.indicators.map((i) => i.value)).size).toBe(175);
      expect(alert.indicators[0]).toEqual({
        type: 'domain',
        value: 'bbc.tf',
        source: '/objects/1/pattern',
        actionable: true,
      });
      expect(alert.indicators.every((i) => i.type === 'domain' && i.actionable === true)).toBe(true);
      expect(alert.fields).toEqual({ title: 'Wintego Helios', firstSeen: '2024-05-02T08:36:18.481985Z' });
    });

    it('reads poisonivy: the six CVEs, the OR-joined domains and IPv4s, the "domain autuo.xicp.net" quirk, file:name reported', () => {
      const alert = imported(fixture('oasis-poisonivy-report.json'));
      expect(alert.indicators.filter((i) => i.type === 'cve')).toEqual(
        [
          ['CVE-2012-0158', 58],
          ['CVE-2009-4324', 59],
          ['CVE-2013-0422', 60],
          ['CVE-2013-1347', 61],
          ['CVE-2011-3544', 62],
          ['CVE-2010-3333', 63],
        ].map(([value, i]) => ({
          type: 'cve',
          value,
          source: `/objects/${i}/external_references/0/external_id`,
          actionable: true,
        })),
      );
      expect(alert.indicators.filter((i) => i.source === '/objects/34/pattern')).toEqual(
        [
          ['domain', 'www.webserver.dynssl.com'],
          ['ipv4', '113.10.246.30'],
          ['ipv4', '219.90.112.203'],
          ['ipv4', '75.126.95.138'],
          ['ipv4', '219.90.112.197'],
          ['ipv4', '202.65.222.45'],
        ].map(([type, value]) => ({
          type,
          value,
          source: '/objects/34/pattern',
          comment: 'www.webserver.dynssl.com',
          actionable: true,
        })),
      );
      expect(alert.indicators.filter((i) => i.source === '/objects/42/pattern')).toEqual([
        {
          type: 'domain',
          value: 'domain autuo.xicp.net',
          source: '/objects/42/pattern',
          comment: 'autuo.xicp.net',
          actionable: true,
        },
        {
          type: 'ipv4',
          value: '60.10.1.115',
          source: '/objects/42/pattern',
          comment: 'autuo.xicp.net',
          actionable: true,
        },
      ]);
      expect(new Set(alert.indicators.filter((i) => i.type === 'domain').map((i) => i.value)).size).toBe(25);
      expect(new Set(alert.indicators.filter((i) => i.type === 'ipv4').map((i) => i.value)).size).toBe(18);
      expect(alert.unsupported).toEqual([
        {
          pointer: '/objects/43/pattern',
          detail:
            "indicator--137acf67-cedc-4a07-8719-72759174de3a: file:name = 'CBricksDoc': object path file:name is not an indicator type the hub supports",
        },
        {
          pointer: '/objects/57/pattern',
          detail:
            "indicator--0b71628d-31dd-4eb8-baee-39f19c0a14b0: file:name = 'CPiShellPutDoc': object path file:name is not an indicator type the hub supports",
        },
      ]);
      expect(alert.fields.description).toMatch(/^This report spotlights Poison Ivy \(PIVY\)/);
      expect(alert.fields.firstSeen).toBe('2013-08-21T00:00:00.000000Z');
      expect(alert.fields.validUntil).toBeUndefined();
    });

    it('reads the OASIS malicious-URL bundle into its one URL and its fields', () => {
      expect(imported(fixture('oasis-indicator-for-malicious-url.json'))).toEqual({
        format: 'stix',
        fields: { title: 'Malicious site hosting downloader', firstSeen: '2014-06-29T13:49:37.079Z' },
        indicators: [
          {
            type: 'url',
            value: 'http://x4z9arb.cn/4712/',
            source: '/objects/0/pattern',
            comment: 'Malicious site hosting downloader',
            actionable: true,
          },
        ],
        unsupported: [],
      });
    });

    it("reads the quoted hash key file:hashes.'SHA-256' of the OASIS file-hash bundle", () => {
      expect(imported(fixture('oasis-malware-indicator-for-file-hash.json')).indicators).toEqual([
        {
          type: 'sha256',
          value: 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c',
          source: '/objects/0/pattern',
          comment: 'File hash for Poison Ivy variant',
          actionable: true,
        },
      ]);
    });

    it('takes TLP:AMBER from the TLP 1.0 marking of the OASIS marking example and ignores the statement marking', () => {
      const alert = imported(fixture('oasis-using-marking-definitions.json'));
      expect(alert.fields.tlp).toBe('AMBER');
      expect(alert.indicators).toEqual([
        {
          type: 'ipv4',
          value: '10.0.0.0',
          source: '/objects/1/pattern',
          comment: 'Known malicious IP Address',
          actionable: true,
        },
      ]);
    });

    it('reads the MISP export: the domain from its indicator, the AS as an observation, the domain observation not twice', () => {
      const alert = imported(fixture('misp-stix-test_event1_stix21.json'));
      expect(alert.indicators).toEqual([
        { type: 'domain', value: 'circl.lu', source: '/objects/7/pattern', actionable: true },
        { type: 'asn', value: 'AS174', source: '/objects/3/number', actionable: false },
      ]);
      expect(alert.fields).toEqual({
        title: 'MISP-STIX-Converter test event with AS attribute',
        description: null,
        firstSeen: '2020-10-25T16:22:00Z',
        lastSeen: '2020-10-25T16:22:00Z',
      });
    });

    it.each<[string, TlpLabel]>([
      ['tlp2/tlp-clear.json', 'CLEAR'],
      ['tlp2/tlp-green.json', 'GREEN'],
      ['tlp2/tlp-amber.json', 'AMBER'],
      ['tlp2/tlp-amber+strict.json', 'AMBER+STRICT'],
      ['tlp2/tlp-red.json', 'RED'],
    ])('gives an indicator marked with the official marking of %s the TLP %s', (file, tlp) => {
      const marking = (fixture(file) as { objects: { id: string }[] }).objects[0]!;
      const doc = bundle([
        indicator("[ipv4-addr:value = '198.51.100.1']", { object_marking_refs: [marking.id] }),
        marking,
      ]);
      expect(imported(doc).fields.tlp).toBe(tlp);
    });
  });

  describe('TLP', () => {
    const marked = (...refs: string[][]): unknown =>
      bundle(refs.map((r, i) => indicator(`[ipv4-addr:value = '198.51.100.${i}']`, { object_marking_refs: r })));

    it.each<[string, TlpLabel]>([
      ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'CLEAR'],
      ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'GREEN'],
      ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'AMBER'],
      ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'RED'],
      ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'CLEAR'],
      ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'GREEN'],
      ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'AMBER'],
      ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'AMBER+STRICT'],
      ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'RED'],
    ])('knows the predefined %s as %s without the bundle shipping it', (id, tlp) => {
      expect(PREDEFINED_TLP_MARKINGS[id]).toBe(tlp);
      expect(imported(marked([id])).fields.tlp).toBe(tlp);
    });

    it.each<[string, string[][], TlpLabel]>([
      [
        'GREEN and RED',
        [
          [`marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da`],
          ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'],
        ],
        'RED',
      ],
      [
        'AMBER and AMBER+STRICT',
        [
          [
            'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
            'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
          ],
        ],
        'AMBER+STRICT',
      ],
      [
        'CLEAR and GREEN',
        [
          ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'],
          ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
        ],
        'GREEN',
      ],
    ])('keeps the most restrictive of %s', (_, refs, tlp) => {
      expect(imported(marked(...refs)).fields.tlp).toBe(tlp);
    });

    it('counts the markings of a report and granular markings too', () => {
      const doc = bundle([
        indicator("[ipv4-addr:value = '198.51.100.1']", {
          object_marking_refs: ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'],
        }),
        {
          type: 'report',
          spec_version: '2.1',
          id: 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3',
          name: 'r',
          published: '2024-01-01T00:00:00Z',
          object_refs: [IND_ID],
          granular_markings: [
            { marking_ref: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', selectors: ['description'] },
          ],
        },
      ]);
      expect(imported(doc).fields.tlp).toBe('RED');
    });

    it('reads a TLP marking-definition shipped in the bundle under its own id, TLP 1.0 style or TLP 2.0 extension', () => {
      const custom1 = 'marking-definition--a1b2c3d4-0000-4000-8000-000000000001';
      const custom2 = 'marking-definition--a1b2c3d4-0000-4000-8000-000000000002';
      const doc = bundle([
        indicator("[ipv4-addr:value = '198.51.100.1']", { object_marking_refs: [custom1] }),
        {
          type: 'marking-definition',
          spec_version: '2.1',
          id: custom1,
          definition_type: 'tlp',
          definition: { tlp: 'green' },
        },
        {
          type: 'marking-definition',
          spec_version: '2.1',
          id: custom2,
          extensions: {
            'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
              extension_type: 'property-extension',
              tlp_2_0: 'amber+strict',
            },
          },
        },
      ]);
      expect(imported(doc).fields.tlp).toBe('GREEN');
      const both = JSON.parse(JSON.stringify(doc)) as { objects: Record<string, unknown>[] };
      both.objects[0]!.object_marking_refs = [custom1, custom2];
      expect(imported(both).fields.tlp).toBe('AMBER+STRICT');
    });

    it('does not let a bundle loosen a predefined marking', () => {
      const red = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
      const doc = bundle([
        indicator("[ipv4-addr:value = '198.51.100.1']", { object_marking_refs: [red] }),
        {
          type: 'marking-definition',
          spec_version: '2.1',
          id: red,
          definition_type: 'tlp',
          definition: { tlp: 'white' },
        },
      ]);
      expect(imported(doc).fields.tlp).toBe('RED');
    });

    it('reports an unknown TLP level and leaves the TLP to the caller when nothing else is marked', () => {
      const custom = 'marking-definition--a1b2c3d4-0000-4000-8000-000000000003';
      const alert = imported(
        bundle([
          indicator("[ipv4-addr:value = '198.51.100.1']", {
            object_marking_refs: [custom, 'marking-definition--0b5a9d04-7cf5-4f4b-ae1c-58b1b7b1c8c0'],
          }),
          {
            type: 'marking-definition',
            spec_version: '2.1',
            id: custom,
            definition_type: 'tlp',
            definition: { tlp: 'purple' },
          },
        ]),
      );
      expect(alert.fields.tlp).toBeUndefined();
      expect(alert.unsupported).toEqual([
        {
          pointer: '/objects/1/definition/tlp',
          detail: `${custom}: "purple" is not a TLP level (white, clear, green, amber, amber+strict, red)`,
        },
      ]);
    });
  });

  describe('refuses STIX 2.0 whole, at its first sign', () => {
    const stix20 = {
      type: 'bundle',
      id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
      spec_version: '2.0',
      objects: [
        {
          type: 'indicator',
          id: 'indicator--a932fcc6-e032-476c-826f-cb970a5a1ade',
          created: '2017-01-27T13:49:53.997Z',
          modified: '2017-01-27T13:49:53.997Z',
          labels: ['malicious-activity'],
          pattern: "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']",
          valid_from: '2017-01-27T13:49:53.997Z',
        },
      ],
    };
    const without = (o: Record<string, unknown>, key: string): Record<string, unknown> =>
      Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
    const obj = stix20.objects[0]!;

    it.each<[string, unknown, string]>([
      ['a 2.0 bundle', stix20, '/spec_version'],
      ['objects without spec_version', { ...without(stix20, 'spec_version') }, '/objects/0/spec_version'],
      [
        'an object with spec_version 2.0',
        bundle([{ ...obj, spec_version: '2.0', pattern_type: 'stix' }]),
        '/objects/0/spec_version',
      ],
      [
        'an indicator without pattern_type',
        bundle([indicator("[ipv4-addr:value = '198.51.100.1']"), { ...obj, spec_version: '2.1' }]),
        '/objects/1/pattern_type',
      ],
      ['a 2.0 bundle with a broken pattern', { ...stix20, objects: [{ ...obj, pattern: '[broken' }] }, '/spec_version'],
    ])('refuses %s', (_, doc, pointer) => {
      expect(refused(doc)).toEqual([{ pointer, detail: STIX_2_0_REFUSAL }]);
    });

    it('accepts a 2.1 SCO without spec_version (optional for SCOs in 2.1)', () => {
      const alert = imported(
        bundle([{ type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.3' }]),
      );
      expect(alert.indicators).toEqual([
        { type: 'ipv4', value: '198.51.100.3', source: '/objects/0/value', actionable: false },
      ]);
    });

    it('refuses another spec_version than 2.1', () => {
      expect(refused(bundle([indicator("[ipv4-addr:value = '198.51.100.1']", { spec_version: '2.2' })]))).toEqual([
        {
          pointer: '/objects/0/spec_version',
          detail: 'spec_version "2.2" is not supported: send STIX 2.1 (spec_version "2.1")',
        },
      ]);
    });
  });

  describe('refuses malformed input with pointers', () => {
    it.each<[string, unknown, Issue[]]>([
      ['null', null, [{ pointer: '', detail: 'a STIX bundle must be a JSON object' }]],
      ['a string', 'bundle', [{ pointer: '', detail: 'a STIX bundle must be a JSON object' }]],
      ['an array', [], [{ pointer: '', detail: 'a STIX bundle must be a JSON object' }]],
      [
        'an empty object',
        {},
        [
          { pointer: '/type', detail: 'type must be "bundle"' },
          { pointer: '/objects', detail: 'objects must be an array of STIX objects' },
        ],
      ],
      [
        'a report instead of a bundle',
        { type: 'report', objects: [] },
        [{ pointer: '/type', detail: 'type must be "bundle"' }],
      ],
      [
        'objects as an object',
        { type: 'bundle', objects: {} },
        [{ pointer: '/objects', detail: 'objects must be an array of STIX objects' }],
      ],
      [
        'a number among the objects',
        bundle([42]),
        [{ pointer: '/objects/0', detail: 'each entry of objects must be a STIX object (a JSON object)' }],
      ],
      [
        'an object without id',
        bundle([{ type: 'malware', spec_version: '2.1', name: 'x' }]),
        [{ pointer: '/objects/0/id', detail: 'a STIX object needs an id' }],
      ],
      [
        'an object without type',
        bundle([{ id: 'malware--5d0092c5-5f74-4287-9642-33f4c354e56d', spec_version: '2.1' }]),
        [{ pointer: '/objects/0/type', detail: 'a STIX object needs a type' }],
      ],
      [
        'a bad pattern',
        bundle([
          indicator("[ipv4-addr:value = '198.51.100.1']", { id: 'indicator--00000000-0000-4000-8000-000000000001' }),
          indicator("[ipv4-addr:value ~ '198.51.100.1']"),
        ]),
        [
          {
            pointer: '/objects/1/pattern',
            detail: `${IND_ID} pattern: expected ".", "NOT", "[" or comparison operator but found "~" at offset 17`,
          },
        ],
      ],
      [
        'two bad patterns',
        bundle([indicator("[domain-name:value = 'x.example'"), indicator("[url:value = 'http://x/]")]),
        [
          {
            pointer: '/objects/0/pattern',
            detail: `${IND_ID} pattern: expected "AND", "OR" or "]" but found end of input at offset 32`,
          },
          {
            pointer: '/objects/1/pattern',
            detail: `${IND_ID} pattern: unterminated string literal: the closing quote is missing at offset 13`,
          },
        ],
      ],
      [
        'a pattern that is not a string',
        bundle([indicator('x', { pattern: 42 })]),
        [{ pointer: '/objects/0/pattern', detail: `${IND_ID} has no pattern (a string is required)` }],
      ],
      [
        'a pattern over the length limit',
        bundle([indicator(`[domain-name:value = '${'a'.repeat(MAX_STIX_PATTERN_LENGTH)}']`)]),
        [
          {
            pointer: '/objects/0/pattern',
            detail: `${IND_ID} pattern is 10024 characters long; at most 10000 are accepted`,
          },
        ],
      ],
    ])('refuses %s', (_, doc, issues) => {
      expect(refused(doc)).toEqual(issues);
    });

    it('accepts a pattern of exactly the maximum length', () => {
      const padding = 'a'.repeat(MAX_STIX_PATTERN_LENGTH - "[domain-name:value = '']".length);
      expect(imported(bundle([indicator(`[domain-name:value = '${padding}']`)])).indicators).toHaveLength(1);
    });

    it(`refuses more than ${MAX_STIX_OBJECTS} objects`, () => {
      const objects = Array.from({ length: MAX_STIX_OBJECTS + 1 }, () => ({ type: 'x' }));
      expect(refused(bundle(objects))).toEqual([
        { pointer: '/objects', detail: `a bundle may hold at most 100000 objects; this one has 100001` },
      ]);
    });

    it('lists the first 100 issues and sums up the rest', () => {
      const issues = refused(bundle(Array.from({ length: 150 }, () => 7)));
      expect(issues).toHaveLength(101);
      expect(issues[99]).toEqual({
        pointer: '/objects/99',
        detail: 'each entry of objects must be a STIX object (a JSON object)',
      });
      expect(issues[100]).toEqual({ pointer: '', detail: 'and 50 more like these' });
    });
  });

  describe('reads what is not a STIX pattern', () => {
    it('reports qualifiers and unsupported parts with the object id and the pattern pointer', () => {
      const alert = imported(
        bundle([indicator("[ipv4-addr:value = '198.51.100.1' OR process:name = 'x.exe'] WITHIN 60 SECONDS")]),
      );
      expect(alert.indicators).toEqual([
        { type: 'ipv4', value: '198.51.100.1', source: '/objects/0/pattern', actionable: true },
      ]);
      expect(alert.unsupported).toEqual([
        {
          pointer: '/objects/0/pattern',
          detail: `${IND_ID}: qualifier WITHIN 60 SECONDS is not applied: the comparisons it qualifies are extracted as plain indicators`,
        },
        {
          pointer: '/objects/0/pattern',
          detail: `${IND_ID}: process:name = 'x.exe': object path process:name is not an indicator type the hub supports`,
        },
      ]);
    });

    it.each(['sigma', 'yara', 'snort', 'suricata', 'pcre'])(
      'reports a %s indicator as unsupported without failing the bundle',
      (patternType) => {
        const alert = imported(bundle([indicator('title: anything', { pattern_type: patternType })]));
        expect(alert.indicators).toEqual([]);
        expect(alert.unsupported).toEqual([
          {
            pointer: '/objects/0/pattern_type',
            detail: `${IND_ID}: pattern_type "${patternType}" is not supported; only "stix" patterns become indicators`,
          },
        ]);
      },
    );

    it(`lists the first ${MAX_STIX_UNSUPPORTED} unsupported parts and sums up the rest`, () => {
      const objects = Array.from({ length: MAX_STIX_UNSUPPORTED + 100 }, () => indicator("[file:name = 'a.exe']"));
      const alert = imported(bundle(objects));
      expect(alert.unsupported).toHaveLength(MAX_STIX_UNSUPPORTED + 1);
      expect(alert.unsupported[MAX_STIX_UNSUPPORTED]).toEqual({ pointer: '', detail: 'and 100 more like these' });
    });

    it('skips a revoked indicator and says so', () => {
      const alert = imported(bundle([indicator("[ipv4-addr:value = '198.51.100.1']", { revoked: true })]));
      expect(alert.indicators).toEqual([]);
      expect(alert.unsupported).toEqual([
        { pointer: '/objects/0/revoked', detail: `${IND_ID}: revoked, so not imported` },
      ]);
    });

    it('reads a CVE from a vulnerability name and reports a vulnerability without one', () => {
      const alert = imported(
        bundle([
          {
            type: 'vulnerability',
            spec_version: '2.1',
            id: 'vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
            name: 'CVE-2021-44228',
          },
          {
            type: 'vulnerability',
            spec_version: '2.1',
            id: 'vulnerability--1c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
            name: 'Log4Shell',
          },
        ]),
      );
      expect(alert.indicators).toEqual([
        { type: 'cve', value: 'CVE-2021-44228', source: '/objects/0/name', actionable: true },
      ]);
      expect(alert.unsupported).toEqual([
        {
          pointer: '/objects/1',
          detail:
            'vulnerability--1c7b5b88-8ff7-4a4d-aa9d-feb398cd0061: a vulnerability without a CVE id (no external reference with source_name "cve", no CVE-shaped name) is not an indicator',
        },
      ]);
    });

    it('reads observations, embedded (deprecated observed-data objects) or top-level, as not actionable', () => {
      const od = 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf';
      const alert = imported(
        bundle([
          {
            type: 'observed-data',
            spec_version: '2.1',
            id: od,
            first_observed: '2024-03-01T00:00:00Z',
            last_observed: '2024-03-02T00:00:00Z',
            number_observed: 1,
            objects: {
              '0': { type: 'ipv6-addr', value: '2001:db8::/48' },
              '1': { type: 'file', hashes: { 'SHA-256': 'aa', SSDEEP: '3:a:b', md5: 'bb' } },
              '2': { type: 'network-traffic', protocols: ['tcp'] },
            },
          },
          {
            type: 'email-addr',
            spec_version: '2.1',
            id: 'email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3',
            value: 'a@example.org',
          },
          {
            type: 'url',
            spec_version: '2.1',
            id: 'url--c1477287-23ac-5971-a010-5c287877fa60',
            value: 'http://x.example/',
          },
          { type: 'file', spec_version: '2.1', id: 'file--5a27d487-c542-5f97-a131-a8866b477b46', name: 'a.exe' },
        ]),
      );
      expect(alert.indicators).toEqual([
        { type: 'cidr', value: '2001:db8::/48', source: '/objects/0/objects/0/value', actionable: false },
        { type: 'sha256', value: 'aa', source: '/objects/0/objects/1/hashes/SHA-256', actionable: false },
        { type: 'md5', value: 'bb', source: '/objects/0/objects/1/hashes/md5', actionable: false },
        { type: 'email', value: 'a@example.org', source: '/objects/1/value', actionable: false },
        { type: 'url', value: 'http://x.example/', source: '/objects/2/value', actionable: false },
      ]);
      expect(alert.unsupported.map((u) => u.pointer)).toEqual([
        '/objects/0/objects/1/hashes/SSDEEP',
        '/objects/0/objects/2',
        '/objects/3',
      ]);
      expect(alert.fields).toEqual({ firstSeen: '2024-03-01T00:00:00Z', lastSeen: '2024-03-02T00:00:00Z' });
    });
  });

  describe('alert fields', () => {
    it('takes the earliest valid_from, the latest valid_until and the highest confidence, and the report text', () => {
      const alert = imported(
        bundle([
          indicator("[ipv4-addr:value = '198.51.100.1']", {
            valid_from: '2024-02-01T00:00:00Z',
            valid_until: '2024-06-01T00:00:00Z',
            confidence: 40,
          }),
          indicator("[ipv4-addr:value = '198.51.100.2']", {
            valid_from: '2024-01-15T00:00:00.5Z',
            valid_until: '2024-09-01T00:00:00Z',
            confidence: 85,
          }),
          {
            type: 'report',
            spec_version: '2.1',
            id: 'report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3',
            name: 'Campaign X',
            description: 'What we saw',
            published: '2024-03-01T00:00:00Z',
            confidence: 60,
            object_refs: [IND_ID],
          },
        ]),
      );
      expect(alert.fields).toEqual({
        title: 'Campaign X',
        description: 'What we saw',
        confidence: 85,
        firstSeen: '2024-01-15T00:00:00.5Z',
        validUntil: '2024-09-01T00:00:00Z',
      });
    });

    it('reports a confidence out of range and a timestamp that is not one, and ignores them', () => {
      const alert = imported(
        bundle([indicator("[ipv4-addr:value = '198.51.100.1']", { confidence: 101, valid_until: 'next week' })]),
      );
      expect(alert.fields).toEqual({ firstSeen: '2024-01-01T00:00:00Z' });
      expect(alert.unsupported).toEqual([
        { pointer: '/objects/0/valid_until', detail: '"next week" is not a STIX timestamp; ignored' },
        { pointer: '/objects/0/confidence', detail: `${IND_ID}: confidence must be an integer from 0 to 100; ignored` },
      ]);
    });

    it('leaves every field undefined for a bundle with nothing to say', () => {
      expect(imported(bundle([]))).toEqual({ format: 'stix', fields: {}, indicators: [], unsupported: [] });
    });
  });

  describe('never throws', () => {
    it('on any JSON value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (doc) => {
          const r = importStixBundle(doc);
          expect(typeof r.ok).toBe('boolean');
        }),
        { numRuns: 500 },
      );
    });

    it('on anything at all, bundle-shaped or not', () => {
      fc.assert(
        fc.property(fc.anything(), fc.array(fc.anything(), { maxLength: 5 }), (value, objects) => {
          expect(typeof importStixBundle(value).ok).toBe('boolean');
          expect(typeof importStixBundle({ type: 'bundle', objects: [value, ...objects] }).ok).toBe('boolean');
        }),
        { numRuns: 300 },
      );
    });

    it('on near-valid 2.1 bundles, and each indicator points at the pattern, value or id it came from', () => {
      const object = fc.record(
        {
          type: fc.constantFrom(
            'indicator',
            'vulnerability',
            'report',
            'ipv4-addr',
            'file',
            'observed-data',
            'marking-definition',
          ),
          spec_version: fc.constant('2.1'),
          id: fc.constantFrom(IND_ID, 'x--1'),
          pattern_type: fc.constantFrom('stix', 'sigma'),
          pattern: fc.oneof(
            fc.string(),
            fc.constantFrom("[ipv4-addr:value = '198.51.100.1']", "[file:hashes.MD5 = 'a' OR url:value = 'b']"),
          ),
          value: fc.string(),
          name: fc.oneof(fc.string(), fc.constant('CVE-2024-0001')),
          hashes: fc.dictionary(fc.constantFrom('MD5', 'SHA-256', 'x'), fc.string()),
          object_marking_refs: fc.array(fc.constantFrom(...Object.keys(PREDEFINED_TLP_MARKINGS), 'x')),
          confidence: fc.integer({ min: -5, max: 105 }),
          valid_from: fc.constantFrom('2024-01-01T00:00:00Z', 'soon'),
        },
        { requiredKeys: ['type', 'spec_version', 'id', 'pattern_type'] },
      );
      fc.assert(
        fc.property(fc.array(object, { maxLength: 6 }), (objects) => {
          const doc = bundle(objects);
          const r = importStixBundle(doc);
          if (r.ok) {
            for (const i of r.value.indicators) {
              expect(typeof atPointer(doc, i.source)).toBe('string');
            }
          } else {
            expect(r.error.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('importStixBundle: the Tocsin property extension', () => {
  const EXT = 'extension-definition--dcab2f2e-69ea-438a-948c-de2de33bb3d8';
  const head = { spec_version: '2.1', created: '2026-03-01T10:00:00.000Z', modified: '2026-03-01T10:00:00.000Z' };
  const bundle = (reportExt: Record<string, unknown>, vulnExt: Record<string, unknown> | null) => ({
    type: 'bundle',
    id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
    objects: [
      {
        type: 'vulnerability',
        id: 'vulnerability--0e7d3b1d-4a52-4c5b-8d1f-0a1b2c3d4e5f',
        ...head,
        name: 'CVE-2024-3400',
        ...(vulnExt === null ? {} : { extensions: { [EXT]: { extension_type: 'property-extension', ...vulnExt } } }),
      },
      {
        type: 'report',
        id: 'report--1e7d3b1d-4a52-4c5b-8d1f-0a1b2c3d4e5f',
        ...head,
        name: 'Exported alert',
        published: '2026-03-01T10:00:00.000Z',
        object_refs: ['vulnerability--0e7d3b1d-4a52-4c5b-8d1f-0a1b2c3d4e5f'],
        extensions: { [EXT]: { extension_type: 'property-extension', ...reportExt } },
      },
    ],
  });

  it('reads severity and classification from the report, and a CVE marked not actionable', () => {
    const a = imported(
      bundle(
        { severity: 'critical', classification: { taxonomy: 'vulnerable', type: 'vulnerable-system' } },
        { actionable: false },
      ),
    );
    expect(a.fields).toMatchObject({
      severity: 'critical',
      classification: { taxonomy: 'vulnerable', type: 'vulnerable-system' },
    });
    expect(a.indicators).toEqual([expect.objectContaining({ type: 'cve', value: 'CVE-2024-3400', actionable: false })]);
  });

  it('ignores malformed extension values, and a vulnerability without the extension stays actionable', () => {
    const a = imported(bundle({ severity: 'urgent', classification: { taxonomy: 3 } }, null));
    expect(a.fields.severity).toBeUndefined();
    expect(a.fields.classification).toBeUndefined();
    expect(a.indicators).toEqual([expect.objectContaining({ type: 'cve', actionable: true })]);
  });
});
