import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TlpLabel } from '../../alerts/tlp';
import type { ImportedAlert, RawIndicator } from '../../model/canonical';
import type { Issue } from '../../shared/result';
import {
  importMispEvent,
  MISP_MAX_ATTRIBUTES,
  MISP_MAX_UNSUPPORTED,
  MISP_MAX_VALUE_LENGTH,
  MISP_SUPPORTED_TYPES,
} from './index';

const FIXTURES = resolve(__dirname, '../../../../../test/fixtures/misp');
const fixture = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'));

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';

function imported(doc: unknown): ImportedAlert {
  const r = importMispEvent(doc);
  if (!r.ok) {
    throw new Error(`expected an import, got ${JSON.stringify(r.error)}`);
  }
  return r.value;
}

function refused(doc: unknown): Issue[] {
  const r = importMispEvent(doc);
  if (r.ok) {
    throw new Error('expected a refusal, got an import');
  }
  return r.error;
}

/** A feed-shaped event with the given attributes (and optional event fields). */
const feed = (attributes: unknown[], extra: Record<string, unknown> = {}): unknown => ({
  Event: { info: 'test event', ...extra, Attribute: attributes },
});

const countBy = (indicators: readonly RawIndicator[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of indicators) {
    const key = i.type ?? 'untyped';
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

const notActionable = (a: ImportedAlert): number => a.indicators.filter((i) => i.actionable === false).length;

/** The unsupported MISP types reported, with their counts (1 when the issue carries no count). */
const unsupportedTypes = (a: ImportedAlert): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const issue of a.unsupported) {
    const m = /^MISP type (\S+) has no canonical indicator type(?: \((\d+) attributes; the first is here\))?$/.exec(
      issue.detail,
    );
    if (m?.[1]) {
      out[m[1]] = Number(m[2] ?? 1);
    }
  }
  return out;
};

describe(importMispEvent.name, () => {
  describe('with real MISP exports', () => {
    it.each<{
      file: string;
      types: Record<string, number>;
      notActionable: number;
      references: number;
      unsupported: Record<string, number>;
    }>([
      {
        file: 'pymisp-circl-osint-xorist-57c4445b.json',
        types: { md5: 1, sha1: 1, sha256: 1 },
        notActionable: 0,
        references: 2,
        unsupported: { comment: 1, text: 1, filename: 1, 'regkey|value': 1 },
      },
      {
        // 87 ip-dst + 3 ip-dst|port IP parts + 3 ip-port object ips; 14 + 2 object md5; 2 sha256; 2 object sha1.
        file: 'pymisp-circl-osint-fallchill-to_delete2.json',
        types: { ipv4: 93, md5: 16, sha256: 2, sha1: 2 },
        notActionable: 0,
        references: 3,
        unsupported: { comment: 1, attachment: 1, float: 2, filename: 2, ssdeep: 2, 'size-in-bytes': 1, port: 3 },
      },
      {
        // 7 domains + 49 objects: 37 sha1, 12 ip-dst, 12 domain.
        file: 'pymisp-circl-osint-sednit-existing_event.json',
        types: { domain: 19, sha1: 37, ipv4: 12 },
        notActionable: 0,
        references: 1,
        unsupported: { text: 38, filename: 15 },
      },
      {
        file: 'pymisp-circl-samsam-mainly_objects_1.json',
        types: { md5: 14, sha1: 6, sha256: 6, sha512: 3 },
        notActionable: 12,
        references: 0,
        unsupported: {
          text: 7,
          attachment: 1,
          'size-in-bytes': 11,
          float: 11,
          counter: 2,
          filename: 7,
          'mime-type': 3,
          ssdeep: 3,
        },
      },
      {
        file: 'eset-turla-crutch.misp.json',
        types: { sha1: 4, domain: 4, url: 1 },
        notActionable: 9,
        references: 1,
        unsupported: { text: 3, filename: 7 },
      },
      {
        file: 'eset-sednit-zebrocy-2018-11-20.misp.json',
        types: { md5: 5, sha1: 5, sha256: 5, email: 11, url: 2 },
        notActionable: 28,
        references: 0,
        unsupported: { text: 4 },
      },
    ])('imports $file with its indicator counts, references and unsupported types', (row) => {
      const alert = imported(fixture(row.file));
      expect(alert.format).toBe('misp');
      expect(countBy(alert.indicators)).toEqual(row.types);
      expect(notActionable(alert)).toBe(row.notActionable);
      expect(alert.fields.references?.length ?? 0).toBe(row.references);
      expect(unsupportedTypes(alert)).toEqual(row.unsupported);
      expect(alert.unsupported).toHaveLength(Object.keys(row.unsupported).length);
    });

    it.each<[string, { title: string; severity?: string; tlp?: TlpLabel; firstSeen: string; lastSeen: string }]>([
      [
        'pymisp-circl-osint-xorist-57c4445b.json',
        {
          title: 'Ransomware - Xorist',
          severity: 'low',
          tlp: 'CLEAR',
          firstSeen: '2016-08-29T00:00:00.000Z',
          lastSeen: '2016-08-30T09:10:31.000Z',
        },
      ],
      [
        'pymisp-circl-osint-fallchill-to_delete2.json',
        {
          title: 'OSINT - HIDDEN COBRA \u2013 North Korean Remote Administration Tool: FALLCHILL',
          severity: 'low',
          tlp: 'CLEAR',
          firstSeen: '2017-11-14T00:00:00.000Z',
          lastSeen: '2017-11-20T13:15:33.000Z',
        },
      ],
      [
        'pymisp-circl-osint-sednit-existing_event.json',
        {
          title: 'OSINT - Sednit update: How Fancy Bear Spent the Year',
          severity: 'low',
          tlp: 'CLEAR',
          firstSeen: '2017-12-21T00:00:00.000Z',
          lastSeen: '2017-12-22T13:17:22.000Z',
        },
      ],
      [
        'pymisp-circl-samsam-mainly_objects_1.json',
        {
          title: 'MAR-10164494.r1.v1 (SamSam ransomware)',
          severity: 'low',
          tlp: 'CLEAR',
          firstSeen: '2018-11-27T00:00:00.000Z',
          lastSeen: '2019-02-20T09:17:57.000Z',
        },
      ],
      [
        'eset-turla-crutch.misp.json',
        {
          title: 'Turla Crutch: Keeping the \u201cback door\u201d open',
          severity: 'high',
          firstSeen: '2020-11-30T00:00:00.000Z',
          lastSeen: '2020-12-01T14:47:30.000Z',
        },
      ],
      [
        'eset-sednit-zebrocy-2018-11-20.misp.json',
        {
          title: 'Zebrocy blogpost November 2018',
          firstSeen: '2018-11-06T00:00:00.000Z',
          lastSeen: '2018-11-20T15:42:31.000Z',
        },
      ],
    ])('reads the event fields of %s', (file, expected) => {
      const { fields } = imported(fixture(file));
      expect({
        title: fields.title,
        severity: fields.severity,
        tlp: fields.tlp,
        firstSeen: fields.firstSeen,
        lastSeen: fields.lastSeen,
      }).toEqual(expected);
      expect(fields.classification).toBeUndefined();
      expect(fields.confidence).toBeUndefined();
    });

    it('reads the xorist feed event: hashes actionable, links as references, tlp:white as CLEAR', () => {
      const alert = imported(fixture('pymisp-circl-osint-xorist-57c4445b.json'));
      expect(alert.indicators).toEqual([
        {
          type: 'md5',
          value: '0749bae92ca336a02c83d126e04ec628',
          source: '/Event/Attribute/5',
          comment: 'Imported via the Freetext Import Tool',
          actionable: true,
        },
        {
          type: 'sha1',
          value: '77b0c41b7d340b8a3d903f21347bbf06aa766b5b',
          source: '/Event/Attribute/6',
          comment: 'Imported via the Freetext Import Tool',
          actionable: true,
        },
        {
          type: 'sha256',
          value: 'b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68',
          source: '/Event/Attribute/7',
          comment: 'Imported via the Freetext Import Tool',
          actionable: true,
        },
      ]);
      expect(alert.fields.references).toEqual([
        'https://www.virustotal.com/file/b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68/analysis/1469554268/',
        'http://www.xylibox.com/2011/06/have-fun-with-trojan-ransomwin32xorist.html',
      ]);
      expect(alert.unsupported).toContainEqual({
        pointer: '/Event/Attribute/8',
        detail: 'MISP type regkey|value has no canonical indicator type',
      });
    });

    it('takes the IP part of fallchill ip-dst|port attributes and keeps their comments', () => {
      const alert = imported(fixture('pymisp-circl-osint-fallchill-to_delete2.json'));
      expect(alert.indicators.find((i) => i.source === '/Event/Attribute/0')).toEqual({
        type: 'ipv4',
        value: '98.101.211.162',
        source: '/Event/Attribute/0',
        comment: 'C2',
        actionable: true,
      });
      expect(alert.indicators.filter((i) => i.source === '/Event/Attribute/98')).toEqual([
        {
          type: 'ipv4',
          value: '10.10.30.110',
          source: '/Event/Attribute/98',
          comment: 'On port 1992',
          actionable: true,
        },
      ]);
      expect(alert.indicators.filter((i) => i.source.startsWith('/Event/Object/')).map((i) => i.source)).toEqual([
        '/Event/Object/0/Attribute/0',
        '/Event/Object/0/Attribute/3',
        '/Event/Object/1/Attribute/1',
        '/Event/Object/2/Attribute/1',
        '/Event/Object/3/Attribute/1',
        '/Event/Object/4/Attribute/0',
        '/Event/Object/4/Attribute/3',
      ]);
      expect(alert.unsupported).toContainEqual({
        pointer: '/Event/Object/1/Attribute/0',
        detail: 'MISP type port has no canonical indicator type (3 attributes; the first is here)',
      });
    });

    it('reads the attributes of the objects of the bare sednit event, with the object comment as fallback', () => {
      const alert = imported(fixture('pymisp-circl-osint-sednit-existing_event.json'));
      expect(alert.indicators.filter((i) => i.source.startsWith('/Object/'))).toHaveLength(61);
      expect(alert.indicators).toContainEqual({
        type: 'sha1',
        value: '68064fc152e23d56e541714af52651cb4ba81aaf',
        source: '/Object/0/Attribute/1',
        comment: 'Win32/Sednit.AX',
        actionable: true,
      });
      expect(alert.indicators.filter((i) => i.source.startsWith('/Object/37/'))).toEqual([
        { type: 'ipv4', value: '87.236.211.182', source: '/Object/37/Attribute/0', actionable: true },
        { type: 'domain', value: 'servicecdp.com', source: '/Object/37/Attribute/1', actionable: true },
      ]);
      // The same domain in two domain-ip objects: both kept (merging duplicates is normalization's job).
      expect(alert.indicators.filter((i) => i.value === 'servicecdp.com')).toHaveLength(2);
      expect(alert.fields.references).toEqual([
        'https://www.welivesecurity.com/2017/12/21/sednit-update-fancy-bear-spent-year/',
      ]);
    });

    it('marks the to_ids=false hashes of the samsam objects as not actionable', () => {
      const alert = imported(fixture('pymisp-circl-samsam-mainly_objects_1.json'));
      const sha256 = '9b23bfc35b18ed80104c496b2aa722b3e56ff9ceb9dae60d1aff7230321c1d12';
      expect(alert.indicators.filter((i) => i.value === sha256).map((i) => [i.source, i.actionable])).toEqual([
        ['/Event/Object/1/Attribute/0', true],
        ['/Event/Object/9/Attribute/6', false],
      ]);
      expect(alert.fields.references).toBeUndefined();
    });

    it('reads the ESET turla API response: no TLP tag, all indicators not actionable', () => {
      const alert = imported(fixture('eset-turla-crutch.misp.json'));
      expect(alert.fields.tlp).toBeUndefined();
      expect(alert.indicators.every((i) => i.actionable === false)).toBe(true);
      expect(alert.indicators).toContainEqual({
        type: 'domain',
        value: 'hotspot.accesscam.org',
        source: '/response/0/Event/Attribute/14',
        comment: 'Recovery C&C',
        actionable: false,
      });
      expect(alert.fields.references).toEqual([
        'https://www.welivesecurity.com/2020/12/02/turla-crutch-keeping-back-door-open',
      ]);
    });

    it('takes the hash part of the ESET zebrocy filename|hash attributes and reads its e-mail addresses', () => {
      const alert = imported(fixture('eset-sednit-zebrocy-2018-11-20.misp.json'));
      expect(alert.indicators).toContainEqual({
        type: 'sha256',
        value: '4771572667b0704c1285e361840fe4fbe2d9375028475738c5ea47d59a33b45d',
        source: '/response/0/Event/Attribute/8',
        actionable: false,
      });
      expect(alert.indicators.filter((i) => i.type === 'email').map((i) => i.value)).toContain('karakos3232@seznam.cz');
      expect(alert.indicators).toContainEqual({
        type: 'url',
        value: 'http://45.124.132.127/company-device-support/values/correlate-sec.php',
        source: '/response/0/Event/Attribute/19',
        actionable: false,
      });
      expect(alert.fields.severity).toBeUndefined();
    });

    it('refuses the misp-stix collection of two events: one event per submission', () => {
      expect(refused(fixture('misp-stix-test_events_collection_1.json'))).toEqual([
        { pointer: '/response', detail: 'holds 2 MISP events: submit one event per submission' },
      ]);
    });

    it('imports each misp-stix test event alone; an attribute without to_ids has no actionable flag', () => {
      const { response } = fixture('misp-stix-test_events_collection_1.json') as { response: unknown[] };
      const as = imported({ response: [response[0]] });
      expect(as.indicators).toEqual([{ type: 'asn', value: 'AS174', source: '/response/0/Event/Attribute/0' }]);
      expect(as.fields.severity).toBe('medium');
      const domain = imported({ response: [response[1]] });
      expect(domain.indicators).toEqual([
        {
          type: 'domain',
          value: 'circl.lu',
          source: '/response/0/Event/Attribute/0',
          comment: 'Domain test attribute',
          actionable: true,
        },
      ]);
    });
  });

  describe('attribute types', () => {
    it.each<[string, string, { type: string; value: string }[]]>([
      ['ip-src', '192.0.2.1', [{ type: 'ipv4', value: '192.0.2.1' }]],
      ['ip-dst', '2001:db8::1', [{ type: 'ipv6', value: '2001:db8::1' }]],
      ['ip-dst', '::ffff:192.0.2.1', [{ type: 'ipv6', value: '::ffff:192.0.2.1' }]],
      ['ip-dst', '198.51.100.0/24', [{ type: 'cidr', value: '198.51.100.0/24' }]],
      ['ip-src', '2001:db8::/32', [{ type: 'cidr', value: '2001:db8::/32' }]],
      // Not an address: typed ipv4 and left to normalization to reject with a reason.
      ['ip-dst', '192.0.2.1:80', [{ type: 'ipv4', value: '192.0.2.1:80' }]],
      ['ip-dst|port', '192.0.2.1|443', [{ type: 'ipv4', value: '192.0.2.1' }]],
      ['ip-src|port', '2001:db8::1|8080', [{ type: 'ipv6', value: '2001:db8::1' }]],
      ['domain', 'evil.example', [{ type: 'domain', value: 'evil.example' }]],
      ['hostname', 'www.evil.example', [{ type: 'domain', value: 'www.evil.example' }]],
      ['hostname|port', 'c2.evil.example|8443', [{ type: 'domain', value: 'c2.evil.example' }]],
      [
        'domain|ip',
        'evil.example|192.0.2.7',
        [
          { type: 'domain', value: 'evil.example' },
          { type: 'ipv4', value: '192.0.2.7' },
        ],
      ],
      ['url', 'https://evil.example/a?b=1', [{ type: 'url', value: 'https://evil.example/a?b=1' }]],
      ['uri', 'http://evil.example/gate.php', [{ type: 'url', value: 'http://evil.example/gate.php' }]],
      ['email', 'a@evil.example', [{ type: 'email', value: 'a@evil.example' }]],
      ['email-src', 'b@evil.example', [{ type: 'email', value: 'b@evil.example' }]],
      ['email-dst', 'c@victim.example', [{ type: 'email', value: 'c@victim.example' }]],
      ['email-reply-to', 'd@evil.example', [{ type: 'email', value: 'd@evil.example' }]],
      ['md5', MD5, [{ type: 'md5', value: MD5 }]],
      ['sha1', SHA1, [{ type: 'sha1', value: SHA1 }]],
      ['sha256', SHA256, [{ type: 'sha256', value: SHA256 }]],
      ['sha512', SHA512, [{ type: 'sha512', value: SHA512 }]],
      ['filename|md5', `dropper.exe|${MD5}`, [{ type: 'md5', value: MD5 }]],
      ['filename|sha1', `dropper.exe|${SHA1}`, [{ type: 'sha1', value: SHA1 }]],
      ['filename|sha256', `%PUBLIC%\\Videos\\audev.exe|${SHA256}`, [{ type: 'sha256', value: SHA256 }]],
      ['filename|sha512', `dropper.exe|${SHA512}`, [{ type: 'sha512', value: SHA512 }]],
      ['filename|md5', `odd|name.exe|${MD5}`, [{ type: 'md5', value: MD5 }]],
      ['malware-sample', `sample.zip|${MD5}`, [{ type: 'md5', value: MD5 }]],
      ['vulnerability', 'CVE-2021-44228', [{ type: 'cve', value: 'CVE-2021-44228' }]],
      ['AS', 'AS64496', [{ type: 'asn', value: 'AS64496' }]],
    ])('maps MISP type %s (%s) to %j', (type, value, expected) => {
      const alert = imported(feed([{ type, value, to_ids: true }]));
      expect(alert.indicators).toEqual(expected.map((e) => ({ ...e, source: '/Event/Attribute/0', actionable: true })));
      expect(alert.unsupported).toEqual([]);
    });

    it.each([
      'filename',
      'regkey',
      'regkey|value',
      'text',
      'comment',
      'attachment',
      'ssdeep',
      'size-in-bytes',
      'mutex',
      'port',
      'sha224',
      'sha512/256',
      'filename|sha512/256',
      'filename|ssdeep',
      'x509-fingerprint-sha256',
      'target-email',
      'yara',
    ])('reports MISP type %s as having no canonical indicator type', (type) => {
      const alert = imported(feed([{ type, value: 'something' }]));
      expect(alert.indicators).toEqual([]);
      expect(alert.unsupported).toEqual([
        { pointer: '/Event/Attribute/0', detail: `MISP type ${type} has no canonical indicator type` },
      ]);
    });

    it('lists link as supported and every mapped type in MISP_SUPPORTED_TYPES', () => {
      expect(MISP_SUPPORTED_TYPES).toEqual(expect.arrayContaining(['link', 'ip-dst', 'as', 'filename|sha256']));
      expect(MISP_SUPPORTED_TYPES).not.toContain('filename');
    });

    it('turns link attributes into references, once each, and not into indicators', () => {
      const alert = imported(
        feed([
          { type: 'link', value: 'https://blog.example/report' },
          { type: 'link', value: ' https://blog.example/report ' },
          { type: 'link', value: 'https://vendor.example/advisory' },
        ]),
      );
      expect(alert.indicators).toEqual([]);
      expect(alert.fields.references).toEqual(['https://blog.example/report', 'https://vendor.example/advisory']);
      expect(alert.unsupported).toEqual([]);
    });

    it('folds repeated unsupported types into one issue per type at the first attribute, with a count', () => {
      const alert = imported(
        feed([
          { type: 'filename', value: 'a.exe' },
          { type: 'md5', value: MD5 },
          { type: 'filename', value: 'b.exe' },
          { type: 'mutex', value: 'Global\\x' },
          { type: 'filename', value: 'c.exe' },
        ]),
      );
      expect(alert.unsupported).toEqual([
        {
          pointer: '/Event/Attribute/0',
          detail: 'MISP type filename has no canonical indicator type (3 attributes; the first is here)',
        },
        { pointer: '/Event/Attribute/3', detail: 'MISP type mutex has no canonical indicator type' },
      ]);
    });

    it(`lists at most ${MISP_MAX_UNSUPPORTED} unsupported issues and then says how many more there were`, () => {
      const attributes = Array.from({ length: 150 }, (_, i) => ({ type: `x-type-${i}`, value: 'v' }));
      const alert = imported(feed(attributes));
      expect(alert.unsupported).toHaveLength(MISP_MAX_UNSUPPORTED + 1);
      expect(alert.unsupported[MISP_MAX_UNSUPPORTED - 1]).toEqual({
        pointer: `/Event/Attribute/${MISP_MAX_UNSUPPORTED - 1}`,
        detail: `MISP type x-type-${MISP_MAX_UNSUPPORTED - 1} has no canonical indicator type`,
      });
      expect(alert.unsupported.at(-1)).toEqual({
        pointer: '/Event',
        detail: '50 more unsupported parts are not listed',
      });
    });

    it('skips a composite attribute whose value has no "|" and reports it', () => {
      const alert = imported(feed([{ type: 'filename|md5', value: MD5 }]));
      expect(alert.indicators).toEqual([]);
      expect(alert.unsupported).toEqual([
        { pointer: '/Event/Attribute/0/value', detail: 'is not a composite filename|md5 value ("…|…"); not imported' },
      ]);
    });

    it('skips deleted attributes and deleted objects and reports them', () => {
      const alert = imported(
        feed(
          [
            { type: 'md5', value: MD5, deleted: true },
            { type: 'sha1', value: SHA1, deleted: '0' },
          ],
          {
            Object: [{ deleted: '1', Attribute: [{ type: 'sha256', value: SHA256 }] }],
          },
        ),
      );
      expect(alert.indicators.map((i) => i.type)).toEqual(['sha1']);
      expect(alert.unsupported).toEqual([
        { pointer: '/Event/Object/0', detail: 'deleted object; not imported' },
        { pointer: '/Event/Attribute/0', detail: 'deleted attribute; not imported' },
      ]);
    });

    it('does not import proposals (ShadowAttribute)', () => {
      const alert = imported(feed([], { ShadowAttribute: [{ type: 'md5', value: MD5 }] }));
      expect(alert.indicators).toEqual([]);
    });

    it.each<[unknown, boolean | undefined]>([
      [true, true],
      [false, false],
      ['1', true],
      ['0', false],
      ['true', true],
      ['False', false],
      [1, true],
      [0, false],
      [undefined, undefined],
      ['yes', undefined],
      [null, undefined],
    ])('reads to_ids %j as actionable %j', (toIds, actionable) => {
      const [indicator] = imported(feed([{ type: 'md5', value: MD5, to_ids: toIds }])).indicators;
      expect(indicator?.actionable).toBe(actionable);
      expect(indicator !== undefined && 'actionable' in indicator).toBe(actionable !== undefined);
    });

    it('keeps the attribute comment, falls back to the object comment, and omits a blank one', () => {
      const alert = imported(
        feed(
          [
            { type: 'md5', value: MD5, comment: '  dropper  ' },
            { type: 'sha1', value: SHA1, comment: ' ' },
          ],
          {
            Object: [
              {
                comment: 'Win32/Sednit.AX',
                Attribute: [
                  { type: 'sha256', value: SHA256, comment: '' },
                  { type: 'sha512', value: SHA512, comment: 'own' },
                ],
              },
            ],
          },
        ),
      );
      expect(alert.indicators.map((i) => [i.type, i.comment])).toEqual([
        ['md5', 'dropper'],
        ['sha1', undefined],
        ['sha256', 'Win32/Sednit.AX'],
        ['sha512', 'own'],
      ]);
      expect('comment' in alert.indicators[1]!).toBe(false);
    });

    it('accepts a number as an attribute value', () => {
      expect(imported(feed([{ type: 'AS', value: 64496 }])).indicators).toEqual([
        { type: 'asn', value: '64496', source: '/Event/Attribute/0' },
      ]);
    });
  });

  describe('event fields', () => {
    it.each<[unknown, string | undefined]>([
      ['1', 'high'],
      [1, 'high'],
      ['2', 'medium'],
      [2, 'medium'],
      ['3', 'low'],
      [' 3 ', 'low'],
      ['4', undefined],
      [4, undefined],
      [undefined, undefined],
    ])('maps threat_level_id %j to severity %j', (level, severity) => {
      const alert = imported(feed([], { threat_level_id: level }));
      expect(alert.fields.severity).toBe(severity);
      expect(alert.unsupported).toEqual([]);
    });

    it.each<unknown>(['0', '5', 'high', true, {}])(
      'reports threat_level_id %j and leaves severity undefined',
      (level) => {
        const alert = imported(feed([], { threat_level_id: level }));
        expect(alert.fields.severity).toBeUndefined();
        expect(alert.unsupported).toEqual([
          {
            pointer: '/Event/threat_level_id',
            detail: 'is not a MISP threat level (1 high, 2 medium, 3 low, 4 undefined); ignored',
          },
        ]);
      },
    );

    it.each<[string[], TlpLabel | undefined]>([
      [['tlp:white'], 'CLEAR'],
      [['tlp:clear'], 'CLEAR'],
      [['tlp:green'], 'GREEN'],
      [['TLP:GREEN'], 'GREEN'],
      [['tlp:amber'], 'AMBER'],
      [['tlp:amber+strict'], 'AMBER+STRICT'],
      [['Tlp:Amber+Strict'], 'AMBER+STRICT'],
      [['tlp:red'], 'RED'],
      [['tlp:green', 'tlp:amber'], 'AMBER'],
      [['tlp:red', 'tlp:white'], 'RED'],
      [['tlp:amber+strict', 'tlp:amber'], 'AMBER+STRICT'],
      [['type:OSINT', 'tlp:green', 'misp-galaxy:threat-actor="Sofacy"'], 'GREEN'],
      [['type:OSINT'], undefined],
      [[], undefined],
    ])('reads event tags %j as TLP %j', (names, tlp) => {
      const alert = imported(feed([], { Tag: names.map((name) => ({ name })) }));
      expect(alert.fields.tlp).toBe(tlp);
      expect(alert.unsupported).toEqual([]);
    });

    it('reports a tlp: tag that is not a TLP 2.0 level and ignores it', () => {
      const alert = imported(feed([], { Tag: [{ name: 'tlp:ex:chr' }, { name: 'tlp:green' }] }));
      expect(alert.fields.tlp).toBe('GREEN');
      expect(alert.unsupported).toEqual([
        { pointer: '/Event/Tag/0', detail: 'TLP tag tlp:ex:chr is not a TLP 2.0 level; ignored' },
      ]);
    });

    it('raises the alert TLP to an attribute TLP tag stricter than the event one and reports it', () => {
      const alert = imported(
        feed(
          [
            { type: 'md5', value: MD5, Tag: [{ name: 'tlp:red' }] },
            { type: 'sha1', value: SHA1, Tag: [{ name: 'tlp:white' }] },
          ],
          { Tag: [{ name: 'tlp:green' }] },
        ),
      );
      expect(alert.fields.tlp).toBe('RED');
      expect(alert.indicators).toHaveLength(2);
      expect(alert.unsupported).toEqual([
        {
          pointer: '/Event/Attribute/0/Tag/0',
          detail: "attribute marked TLP:RED, stricter than the event's TLP:GREEN: the alert takes TLP:RED or stricter",
        },
      ]);
    });

    it('takes the TLP of an attribute when the event has none', () => {
      const alert = imported(feed([{ type: 'md5', value: MD5, Tag: [{ name: 'tlp:amber' }] }]));
      expect(alert.fields.tlp).toBe('AMBER');
      expect(alert.unsupported.map((i) => i.pointer)).toEqual(['/Event/Attribute/0/Tag/0']);
    });

    it.each<[string[], { taxonomy: string; type: string } | undefined, string[]]>([
      [['rsit:malicious-code="c2-server"'], { taxonomy: 'malicious-code', type: 'c2-server' }, []],
      [['RSIT:Fraud="Phishing"'], { taxonomy: 'fraud', type: 'phishing' }, []],
      [
        ['rsit:malicious-code="c2-server"', 'rsit:fraud="phishing"'],
        { taxonomy: 'malicious-code', type: 'c2-server' },
        ['/Event/Tag/1'],
      ],
      [['rsit:malicious-code'], undefined, ['/Event/Tag/0']],
      [['circl:incident-classification="malware"'], undefined, []],
    ])('reads RSIT tags %j as classification %j', (names, classification, pointers) => {
      const alert = imported(feed([], { Tag: names.map((name) => ({ name })) }));
      expect(alert.fields.classification).toEqual(classification);
      expect(alert.unsupported.map((i) => i.pointer)).toEqual(pointers);
    });

    it('reads date as firstSeen and the later of timestamp and publish_timestamp as lastSeen', () => {
      const alert = imported(
        feed([], { date: '2024-02-29', timestamp: 1_700_000_000, publish_timestamp: '1700000060', analysis: '1' }),
      );
      expect(alert.fields).toEqual({
        title: 'test event',
        firstSeen: '2024-02-29T00:00:00.000Z',
        lastSeen: '2023-11-14T22:14:20.000Z',
      });
    });

    it('treats publish_timestamp 0 as never published', () => {
      const alert = imported(feed([], { timestamp: '1700000000', publish_timestamp: '0' }));
      expect(alert.fields.lastSeen).toBe('2023-11-14T22:13:20.000Z');
    });

    it.each<[string, unknown]>([
      ['date', '2018-02-30'],
      ['date', '14/11/2017'],
      ['date', 20171114],
      ['timestamp', 'yesterday'],
      ['timestamp', '-5'],
      ['publish_timestamp', '99999999999999999999'],
    ])('reports an unreadable %s %j and leaves it out', (key, value) => {
      const alert = imported(feed([], { [key]: value }));
      expect(alert.fields.firstSeen).toBeUndefined();
      expect(alert.fields.lastSeen).toBeUndefined();
      expect(alert.unsupported.map((i) => i.pointer)).toEqual([`/Event/${key}`]);
    });

    it('ignores analysis and Orgc: no confidence and no organisation in the fields', () => {
      const a = imported(feed([], { analysis: '0', Orgc: { name: 'CIRCL' } }));
      const b = imported(feed([], { analysis: '2', Orgc: { name: 'ESET' } }));
      expect(a.fields).toEqual({ title: 'test event' });
      expect(b.fields).toEqual(a.fields);
    });

    it('trims the title and leaves a blank one undefined', () => {
      expect(imported(feed([], { info: '  Zebrocy  ' })).fields.title).toBe('Zebrocy');
      expect(imported(feed([], { info: '   ' })).fields.title).toBeUndefined();
    });
  });

  describe('containers', () => {
    const event = { info: 'one event', Attribute: [{ type: 'md5', value: MD5 }] };

    it.each<[string, unknown, string]>([
      ['a feed event', { Event: event }, '/Event/Attribute/0'],
      ['an API response list', { response: [{ Event: event }] }, '/response/0/Event/Attribute/0'],
      ['an API response object', { response: { Event: event } }, '/response/Event/Attribute/0'],
      ['an API response list of bare events', { response: [event] }, '/response/0/Attribute/0'],
      ['a bare event', event, '/Attribute/0'],
      [
        'a bare event with objects only',
        { Object: [{ Attribute: [{ type: 'md5', value: MD5 }] }] },
        '/Object/0/Attribute/0',
      ],
      ['a list of one event', [{ Event: event }], '/0/Event/Attribute/0'],
    ])('accepts %s and points into it', (_shape, doc, source) => {
      const alert = imported(doc);
      expect(alert.indicators).toEqual([{ type: 'md5', value: MD5, source }]);
    });

    it.each<[string, unknown, Issue]>([
      [
        'an API response with two events',
        { response: [{ Event: event }, { Event: event }] },
        { pointer: '/response', detail: 'holds 2 MISP events: submit one event per submission' },
      ],
      [
        'a list of three events',
        [{ Event: event }, { Event: event }, event],
        { pointer: '', detail: 'holds 3 MISP events: submit one event per submission' },
      ],
      ['an empty API response', { response: [] }, { pointer: '/response', detail: 'holds no MISP event' }],
      ['an empty list', [], { pointer: '', detail: 'holds no MISP event' }],
    ])('refuses %s', (_shape, doc, issue) => {
      expect(refused(doc)).toEqual([issue]);
    });
  });

  describe('malformed documents', () => {
    it.each<[string, unknown, string[]]>([
      ['null', null, ['']],
      ['a number', 42, ['']],
      ['a string', '{"Event":{}}', ['']],
      ['an object that is no event', { hello: 'world' }, ['']],
      ['Event as a string', { Event: 'x' }, ['/Event']],
      ['Event as a list', { Event: [] }, ['/Event']],
      ['response as a string', { response: 'x' }, ['/response']],
      ['a list holding no event', [42], ['/0']],
      ['Attribute as an object', { Event: { info: 't', Attribute: {} } }, ['/Event/Attribute']],
      ['Attribute as a string', { response: [{ Event: { Attribute: 'md5' } }] }, ['/response/0/Event/Attribute']],
      ['an attribute that is no object', { Event: { Attribute: [42] } }, ['/Event/Attribute/0']],
      ['an attribute without type', { Event: { Attribute: [{ value: MD5 }] } }, ['/Event/Attribute/0/type']],
      ['an attribute without value', { Event: { Attribute: [{ type: 'md5' }] } }, ['/Event/Attribute/0/value']],
      [
        'an attribute with a blank value',
        { Event: { Attribute: [{ type: 'md5', value: ' ' }] } },
        ['/Event/Attribute/0/value'],
      ],
      [
        'an attribute with an object value',
        { Event: { Attribute: [{ type: 'md5', value: {} }] } },
        ['/Event/Attribute/0/value'],
      ],
      [
        'several broken attributes',
        { Event: { Attribute: [{ type: 'md5', value: MD5 }, { value: MD5 }, {}] } },
        ['/Event/Attribute/1/type', '/Event/Attribute/2/type', '/Event/Attribute/2/value'],
      ],
      ['Object as a string', { Event: { Object: 'file' } }, ['/Event/Object']],
      ['an object that is no object', { Event: { Object: [null] } }, ['/Event/Object/0']],
      ['an object Attribute that is no list', { Event: { Object: [{ Attribute: 1 }] } }, ['/Event/Object/0/Attribute']],
      [
        'an object attribute without value',
        { Event: { Object: [{ Attribute: [{ type: 'md5' }] }] } },
        ['/Event/Object/0/Attribute/0/value'],
      ],
      ['Tag as a string', { Event: { Attribute: [], Tag: 'tlp:red' } }, ['/Event/Tag']],
    ])('refuses %s with issues at the right pointers', (_case, doc, pointers) => {
      const issues = refused(doc);
      expect(issues.map((i) => i.pointer)).toEqual(pointers);
      expect(issues.every((i) => i.detail.length > 0)).toBe(true);
    });

    it('reports a tag without a name and ignores it', () => {
      const alert = imported(feed([], { Tag: [{ colour: '#fff' }, { name: 'tlp:red' }] }));
      expect(alert.fields.tlp).toBe('RED');
      expect(alert.unsupported).toEqual([{ pointer: '/Event/Tag/0', detail: 'is not a tag with a name; ignored' }]);
    });
  });

  describe('limits', () => {
    const md5 = { type: 'md5', value: MD5 };

    it(`accepts ${MISP_MAX_ATTRIBUTES} attributes, objects included`, () => {
      const alert = imported(
        feed(Array<unknown>(MISP_MAX_ATTRIBUTES - 2).fill(md5), { Object: [{ Attribute: [md5, md5] }] }),
      );
      expect(alert.indicators).toHaveLength(MISP_MAX_ATTRIBUTES);
    });

    it(`refuses more than ${MISP_MAX_ATTRIBUTES} attributes, objects included, at /Event/Attribute`, () => {
      expect(
        refused(feed(Array<unknown>(MISP_MAX_ATTRIBUTES - 1).fill(md5), { Object: [{ Attribute: [md5, md5] }] })),
      ).toEqual([
        {
          pointer: '/Event/Attribute',
          detail: `the event holds ${MISP_MAX_ATTRIBUTES + 1} attributes (objects included); at most ${MISP_MAX_ATTRIBUTES} are accepted`,
        },
      ]);
    });

    it(`keeps a value of ${MISP_MAX_VALUE_LENGTH} characters and skips a longer one with an issue`, () => {
      const atLimit = 'a'.repeat(MISP_MAX_VALUE_LENGTH);
      const alert = imported(
        feed([
          { type: 'url', value: atLimit },
          { type: 'url', value: `${atLimit}b` },
          { type: 'link', value: `${atLimit}c` },
        ]),
      );
      expect(alert.indicators.map((i) => i.value.length)).toEqual([MISP_MAX_VALUE_LENGTH]);
      expect(alert.fields.references).toBeUndefined();
      expect(alert.unsupported).toEqual([
        {
          pointer: '/Event/Attribute/1/value',
          detail: `is longer than ${MISP_MAX_VALUE_LENGTH} characters; not imported`,
        },
        {
          pointer: '/Event/Attribute/2/value',
          detail: `is longer than ${MISP_MAX_VALUE_LENGTH} characters; not imported`,
        },
      ]);
    });

    it('refuses at most 100 issues for a document full of broken attributes', () => {
      expect(refused(feed(Array<unknown>(500).fill({})))).toHaveLength(100);
    });
  });

  describe('properties', () => {
    it('never throws on any value', () => {
      fc.assert(
        fc.property(fc.anything(), (doc) => {
          expect(typeof importMispEvent(doc).ok).toBe('boolean');
        }),
      );
    });

    it('never throws on any JSON value, bare or in a container', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (v) => {
          for (const doc of [v, { Event: v }, { response: [v] }, { Event: { Attribute: v } }, { Event: { Tag: v } }]) {
            expect(typeof importMispEvent(doc).ok).toBe('boolean');
          }
        }),
      );
    });

    const attributeArb = fc.record(
      {
        type: fc.constantFrom(...MISP_SUPPORTED_TYPES, 'AS', 'filename', 'text', 'regkey|value', 'ssdeep'),
        value: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
        to_ids: fc.constantFrom<unknown>(true, false, '1', '0', undefined),
        comment: fc.string(),
        Tag: fc.array(fc.record({ name: fc.constantFrom('tlp:red', 'tlp:green', 'osint:x', 'tlp:nope') })),
      },
      { requiredKeys: ['type', 'value'] },
    );

    it('points every indicator and issue of a well-formed event into the event', () => {
      fc.assert(
        fc.property(
          fc.array(attributeArb, { maxLength: 20 }),
          fc.array(fc.array(attributeArb, { maxLength: 5 }), { maxLength: 3 }),
          (attributes, objects) => {
            const alert = imported(feed(attributes, { Object: objects.map((Attribute) => ({ Attribute })) }));
            const total = attributes.length + objects.reduce((n, o) => n + o.length, 0);
            expect(alert.indicators.length).toBeLessThanOrEqual(2 * total);
            for (const i of alert.indicators) {
              expect(i.source).toMatch(/^\/Event\/(Attribute\/\d+|Object\/\d+\/Attribute\/\d+)$/);
              expect(i.value.trim()).not.toBe('');
            }
            for (const issue of alert.unsupported) {
              expect(issue.pointer.startsWith('/Event')).toBe(true);
            }
            expect(alert.unsupported.length).toBeLessThanOrEqual(MISP_MAX_UNSUPPORTED + 1);
          },
        ),
      );
    });
  });
});

describe('importMispEvent: what Tocsin’s own export writes', () => {
  const event = (tags: string[], attributes: Record<string, unknown>[]) => ({
    Event: {
      info: 'Exported alert',
      threat_level_id: '1',
      Tag: tags.map((name) => ({ name })),
      Attribute: attributes,
    },
  });

  it.each([
    ['critical', 'critical'],
    ['high', 'high'],
    ['low', 'low'],
  ])('takes severity %s from the tocsin:severity tag over threat_level_id', (tag, severity) => {
    expect(imported(event([`tocsin:severity="${tag}"`], [])).fields.severity).toBe(severity);
  });

  it('keeps threat_level_id without the tag', () => {
    expect(imported(event([], [])).fields.severity).toBe('high');
  });

  it('reads the description from the comment attribute commented "alert description", the first one only', () => {
    const a = imported(
      event(
        [],
        [
          { type: 'comment', category: 'Other', value: 'A note', comment: 'analyst note' },
          { type: 'comment', category: 'Other', value: 'What the alert says', comment: 'alert description' },
          { type: 'comment', category: 'Other', value: 'Another', comment: 'alert description' },
        ],
      ),
    );
    expect(a.fields.description).toBe('What the alert says');
  });

  it('takes a vulnerability attribute with to_ids true as an actionable CVE', () => {
    const a = imported(event([], [{ type: 'vulnerability', value: 'CVE-2024-3400', to_ids: true }]));
    expect(a.indicators).toEqual([expect.objectContaining({ type: 'cve', actionable: true })]);
  });
});
