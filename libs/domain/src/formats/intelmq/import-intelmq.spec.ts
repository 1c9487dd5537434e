import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TlpLabel } from '../../alerts/tlp';
import type { ImportedAlert } from '../../model/canonical';
import { compileRsit, type MachineTagTaxonomy } from '../../model/taxonomies';
import type { Issue } from '../../shared/result';
import {
  importIntelMq,
  INTELMQ_MAX_ISSUES,
  INTELMQ_MAX_REFERENCES,
  INTELMQ_MAX_VALUE_LENGTH,
  type ImportIntelMqOptions,
} from './import-intelmq';

const FIXTURES = resolve(__dirname, '../../../../../test/fixtures/intelmq');
/** The RSIT vocabulary as the hub loads it: the shipped MISP machine-tag data. */
const RSIT = compileRsit(
  JSON.parse(
    readFileSync(resolve(__dirname, '../../../../alerts/data/taxonomies/rsit/machinetag.json'), 'utf8'),
  ) as MachineTagTaxonomy,
);
const fixture = (name: string): string => readFileSync(resolve(FIXTURES, name), 'utf8');

function imported(text: string, opts?: Partial<ImportIntelMqOptions>): ImportedAlert {
  const r = importIntelMq(text, { rsit: RSIT, ...opts });
  if (!r.ok) {
    throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  }
  return r.value;
}

function refused(text: string, opts?: Partial<ImportIntelMqOptions>): Issue[] {
  const r = importIntelMq(text, { rsit: RSIT, ...opts });
  if (r.ok) {
    throw new Error(`expected a refusal, got ${JSON.stringify(r.value)}`);
  }
  return r.error;
}

const jsonl = (...events: object[]): string => events.map((e) => JSON.stringify(e)).join('\n') + '\n';
const at = (line: number, detail: string): Issue => ({ pointer: `/line/${line}`, detail, line });

describe(importIntelMq.name, () => {
  describe('samples in IntelMQ format (written for Tocsin)', () => {
    it('reads a C2 feed: IPs actionable, AS and PTR names not, one alert titled after the feed', () => {
      const a = imported(fixture('c2-feed.events.jsonl'));
      expect(a.format).toBe('intelmq');
      expect(a.fields).toEqual({
        title: 'Example C2 Tracker report',
        description: '3 IntelMQ events from Example C2 Tracker (Example CERT)',
        tlp: 'AMBER',
        classification: { taxonomy: 'malicious-code', type: 'c2-server' },
        firstSeen: '2026-10-28T22:03:10.000Z',
        lastSeen: '2026-11-15T12:00:00.000Z',
      });
      expect(a.indicators).toEqual([
        { value: '192.0.2.10', source: 'line 1', comment: 'dridex' },
        { type: 'asn', value: '64496', source: 'line 1', comment: 'dridex', actionable: false },
        { type: 'domain', value: 'srv10.hosting.example.net', source: 'line 1', comment: 'dridex', actionable: false },
        { value: '198.51.100.20', source: 'line 2', comment: 'emotet' },
        { type: 'asn', value: '64500', source: 'line 2', comment: 'emotet', actionable: false },
        {
          type: 'domain',
          value: 'host-20.transit.example.com',
          source: 'line 2',
          comment: 'emotet',
          actionable: false,
        },
        { value: '2001:db8::c2', source: 'line 3', comment: 'qakbot' },
        { type: 'asn', value: '64496', source: 'line 3', comment: 'qakbot', actionable: false },
      ]);
      expect(a.unsupported).toEqual([]);
    });

    it('reads DROP lists: networks and ASNs are the indicators, taxonomy derived, no common title', () => {
      const a = imported(fixture('drop-networks.events.jsonl'));
      expect(a.fields).toEqual({
        description: '4 IntelMQ events from Example DROP list, Example ASN-DROP list',
        classification: { taxonomy: 'abusive-content', type: 'spam' },
        firstSeen: '2026-08-30T12:00:00.000Z',
        lastSeen: '2026-11-02T08:15:00.000Z',
      });
      expect(a.indicators).toEqual([
        { type: 'cidr', value: '192.0.2.0/24', source: 'line 1' },
        { type: 'cidr', value: '2001:db8:1000::/36', source: 'line 2' },
        { type: 'asn', value: '64511', source: 'line 3' },
        { type: 'asn', value: '65551', source: 'line 4' },
      ]);
      expect(a.unsupported).toEqual([]);
    });

    it('reads phishing events: URLs, host names, IPs, references and the most restrictive TLP', () => {
      const a = imported(fixture('phishing.events.jsonl'));
      expect(a.fields).toEqual({
        title: 'Example Phish Feed report',
        description: '3 IntelMQ events from Example Phish Feed (Example Anti-Phishing Group)',
        tlp: 'AMBER',
        classification: { taxonomy: 'fraud', type: 'phishing' },
        firstSeen: '2026-11-18T09:30:00.000Z',
        lastSeen: '2026-11-19T21:02:13.000Z',
        references: [
          'https://phish-db.example.org/detail/1001',
          'https://phish-db.example.org/detail/1002',
          'https://phish-db.example.org/detail/1003',
        ],
      });
      expect(a.indicators.map((i) => [i.type, i.value, i.source, i.actionable, i.comment])).toEqual([
        [undefined, '203.0.113.50', 'line 1', undefined, 'Example Bank'],
        ['domain', 'secure-login.example.com', 'line 1', undefined, 'Example Bank'],
        ['url', 'https://secure-login.example.com/bank/verify.php', 'line 1', undefined, 'Example Bank'],
        ['cidr', '203.0.113.0/24', 'line 1', false, 'Example Bank'],
        ['asn', '64499', 'line 1', false, 'Example Bank'],
        [undefined, '198.51.100.77', 'line 2', undefined, 'Example Webmail'],
        ['url', 'http://mail-account-update.example.net/owa/', 'line 2', undefined, 'Example Webmail'],
        ['asn', '64497', 'line 2', false, 'Example Webmail'],
        [undefined, '2001:db8:50::7', 'line 3', undefined, 'Example Post'],
        ['url', 'https://parcel-redelivery.example.org/pay?ref=77', 'line 3', undefined, 'Example Post'],
      ]);
    });

    it('reads a feed of IntelMQ’s own type blacklist as other/other, with nothing reported', () => {
      const a = imported(fixture('blacklist-feed.events.jsonl'));
      expect(a.fields.classification).toEqual({ taxonomy: 'other', type: 'other' });
      expect(a.fields.tlp).toBe('GREEN');
      expect(a.indicators.map((i) => i.value)).toEqual([
        '198.51.100.21',
        '198.51.100.22',
        '198.51.100.0/24',
        '64501',
        'listed.example.net',
      ]);
      expect(a.unsupported).toEqual([]);
    });

    it('keeps every event of legacy types and reports the one unknown type with its line', () => {
      const a = imported(fixture('legacy-types.events.jsonl'));
      expect(new Set(a.indicators.map((i) => i.source)).size).toBe(14);
      expect(a.indicators.some((i) => i.value === '192.0.2.148' && i.source === 'line 12')).toBe(true);
      expect(a.fields.classification).toBeUndefined();
      expect(a.unsupported).toEqual([
        {
          pointer: '/line/12',
          line: 12,
          detail:
            'classification.type "cryptojacking" is not an RSIT or IntelMQ classification type; the event is left unclassified',
        },
        {
          pointer: '/line/2',
          line: 2,
          detail: expect.stringMatching(/^the events carry 9 classifications \(/),
        },
      ]);
    });

    it('classifies an alert whose only event has an unknown type as nothing, saying so', () => {
      const a = imported('{"source.ip": "192.0.2.9", "classification.type": "cryptojacking"}');
      expect(a.fields.classification).toBeUndefined();
      expect(a.indicators).toHaveLength(1);
      expect(a.unsupported.map((i) => [i.line, i.detail])).toEqual([
        [
          1,
          'classification.type "cryptojacking" is not an RSIT or IntelMQ classification type; the event is left unclassified',
        ],
      ]);
    });

    it('reads legacy classification names, WHITE as CLEAR and a time without zone as UTC', () => {
      const a = imported(fixture('legacy-classification.events.jsonl'));
      expect(a.fields).toEqual({
        title: 'Example Sinkhole (legacy export) report',
        description: '2 IntelMQ events from Example Sinkhole (legacy export)',
        tlp: 'CLEAR',
        classification: { taxonomy: 'malicious-code', type: 'infected-system' },
        firstSeen: '2019-04-01T03:13:20.000Z',
        lastSeen: '2019-04-01T04:00:00.000Z',
      });
      expect(a.indicators.map((i) => [i.type, i.value, i.source])).toEqual([
        [undefined, '192.0.2.131', 'line 1'],
        [undefined, '198.51.100.250', 'line 1'],
        ['domain', 'c2.botnet.example.com', 'line 1'],
        ['md5', '0123456789abcdef0123456789abcdef', 'line 1'],
        [undefined, '192.0.2.132', 'line 2'],
        [undefined, '198.51.100.250', 'line 2'],
        ['domain', 'c2.botnet.example.com', 'line 2'],
        ['sha1', '0123456789abcdef0123456789abcdef01234567', 'line 2'],
      ]);
      expect(a.indicators.every((i) => i.actionable === undefined && i.comment === 'zeus')).toBe(true);
      expect(a.unsupported).toEqual([]);
    });

    it('reads a JSON array of hierarchical events, with JSON pointers as sources and extra ignored', () => {
      const a = imported(fixture('sinkhole-hierarchical.events.json'));
      expect(a.fields).toEqual({
        title: 'Example Sinkhole report',
        description: '2 IntelMQ events from Example Sinkhole (Example CERT)',
        tlp: 'AMBER',
        classification: { taxonomy: 'malicious-code', type: 'infected-system' },
        firstSeen: '2026-11-20T01:02:03.000Z',
        lastSeen: '2026-11-20T05:06:07.000Z',
      });
      expect(a.indicators).toEqual([
        { value: '192.0.2.77', source: '/0/source/ip', comment: 'example-bot' },
        { type: 'asn', value: '64496', source: '/0/source/asn', comment: 'example-bot', actionable: false },
        { value: '203.0.113.5', source: '/0/destination/ip', comment: 'example-bot' },
        { type: 'domain', value: 'sinkhole.example.net', source: '/0/destination/fqdn', comment: 'example-bot' },
        {
          type: 'sha256',
          value: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
          source: '/0/malware/hash/sha256',
          comment: 'example-bot',
        },
        { value: '2001:db8:77::1', source: '/1/source/ip', comment: 'example-bot' },
        { type: 'asn', value: '64500', source: '/1/source/asn', comment: 'example-bot', actionable: false },
        { value: '203.0.113.5', source: '/1/destination/ip', comment: 'example-bot' },
        { type: 'domain', value: 'sinkhole.example.net', source: '/1/destination/fqdn', comment: 'example-bot' },
      ]);
    });

    it('reads the same events whether flat JSON lines, a JSON array or one per document', () => {
      const lines = fixture('c2-feed.events.jsonl');
      const events = lines
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as object);
      const fromLines = imported(lines);
      const fromArray = imported(JSON.stringify(events));
      expect(fromArray.fields).toEqual(fromLines.fields);
      expect(fromArray.indicators.map((i) => i.value)).toEqual(fromLines.indicators.map((i) => i.value));
      expect(fromArray.indicators[0]?.source).toBe('/0/source.ip');
      const single = imported(JSON.stringify(events[0], null, 2));
      expect(single.indicators.map((i) => i.source)).toEqual(['/source.ip', '/source.asn', '/source.reverse_dns']);
    });
  });

  describe('events', () => {
    const base = { 'classification.type': 'scanner', 'source.ip': '192.0.2.1' };

    it.each<[string, string, string | undefined]>([
      ['source.fqdn', 'scan.example.com', 'domain'],
      ['source.url', 'http://scan.example.com/x', 'url'],
      ['destination.ip', '198.51.100.1', undefined],
      ['destination.fqdn', 'victim.example.net', 'domain'],
      ['destination.url', 'https://victim.example.net/', 'url'],
      ['destination.network', '198.51.100.0/24', 'cidr'],
      ['destination.asn', '64500', 'asn'],
      ['destination.reverse_dns', 'ptr.example.net', 'domain'],
      ['malware.hash.md5', '0123456789abcdef0123456789abcdef', 'md5'],
      ['malware.hash.sha1', '0123456789abcdef0123456789abcdef01234567', 'sha1'],
    ])('reads %s as an indicator', (key, value, type) => {
      const [, second] = imported(jsonl({ ...base, [key]: value })).indicators;
      expect(second?.value).toBe(value);
      expect(second?.type).toBe(type);
    });

    it('makes network and asn actionable only when the event has nothing more precise', () => {
      const a = imported(
        jsonl(
          { 'source.network': '192.0.2.0/24', 'source.asn': 64496 },
          { 'source.network': '198.51.100.0/24', 'malware.hash.md5': '0123456789abcdef0123456789abcdef' },
          { 'source.reverse_dns': 'ptr.example.net' },
        ),
      );
      expect(a.indicators.map((i) => [i.value, i.actionable])).toEqual([
        ['192.0.2.0/24', undefined],
        ['64496', undefined],
        ['198.51.100.0/24', false],
        ['0123456789abcdef0123456789abcdef', undefined],
        ['ptr.example.net', false],
      ]);
    });

    it('joins malware.name, event_description.target and .text and comment into the comment', () => {
      const [i] = imported(
        jsonl({
          ...base,
          'malware.name': 'mirai',
          'event_description.target': 'Example Bank',
          'event_description.text': 'scanning telnet',
          comment: 'mirai',
        }),
      ).indicators;
      expect(i?.comment).toBe('mirai; Example Bank; scanning telnet');
    });

    it.each<[string[], TlpLabel | undefined]>([
      [['AMBER', 'GREEN'], 'AMBER'],
      [['WHITE'], 'CLEAR'],
      [['CLEAR', 'green'], 'GREEN'],
      [['tlp:red', 'AMBER'], 'RED'],
      [['AMBER+STRICT', 'AMBER'], 'AMBER+STRICT'],
      [[], undefined],
    ])('takes the most restrictive tlp of %j: %j', (tlps, tlp) => {
      const events = tlps.length === 0 ? [base] : tlps.map((t) => ({ ...base, tlp: t }));
      expect(imported(jsonl(...events)).fields.tlp).toBe(tlp);
    });

    it('cuts a long value quoted in an issue at 100 characters', () => {
      const a = imported(jsonl({ ...base, tlp: 'X'.repeat(5000) }));
      expect(a.unsupported[0]?.detail).toBe(
        `tlp "${'X'.repeat(100)}…" is not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED); ignored`,
      );
    });

    it('reports a tlp that is no TLP level', () => {
      const a = imported(jsonl(base, { ...base, tlp: 'PURPLE' }));
      expect(a.fields.tlp).toBeUndefined();
      expect(a.unsupported).toEqual([
        at(2, 'tlp "PURPLE" is not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED); ignored'),
      ]);
    });

    it('leaves the alert unclassified when events disagree, and says so at the first that differs', () => {
      const a = imported(jsonl(base, base, { ...base, 'classification.type': 'brute-force' }));
      expect(a.fields.classification).toBeUndefined();
      expect(a.unsupported).toEqual([
        at(
          3,
          'the events carry 2 classifications (information-gathering/scanner, intrusion-attempts/brute-force); the alert is left unclassified',
        ),
      ]);
    });

    it('reports an unknown classification type and a mismatched taxonomy', () => {
      const a = imported(
        jsonl(
          { ...base, 'classification.type': 'weird' },
          { ...base, 'classification.taxonomy': 'fraud', 'classification.type': 'scanner' },
        ),
      );
      expect(a.fields.classification).toEqual({ taxonomy: 'information-gathering', type: 'scanner' });
      expect(a.unsupported.map((i) => [i.line, i.detail])).toEqual([
        [
          1,
          'classification.type "weird" is not an RSIT or IntelMQ classification type; the event is left unclassified',
        ],
        [
          2,
          'classification.taxonomy "fraud" does not hold type "scanner": RSIT files it under "information-gathering", which is kept',
        ],
      ]);
    });

    it('classifies with the RSIT vocabulary it is given', () => {
      const rsit = compileRsit({
        namespace: 'rsit',
        predicates: [{ value: 'information-gathering' }],
        values: [{ predicate: 'information-gathering', entry: [{ value: 'port-scan' }] }],
      });
      const a = imported(jsonl({ ...base, 'classification.type': 'port-scan' }), { rsit });
      expect(a.fields.classification).toEqual({ taxonomy: 'information-gathering', type: 'port-scan' });
    });

    it.each<[string[], string | undefined, string | undefined]>([
      [
        ['2026-11-20T10:00:00+00:00', '2026-11-19T08:00:00+02:00'],
        '2026-11-19T06:00:00.000Z',
        '2026-11-20T10:00:00.000Z',
      ],
      [['2026-11-20T10:00:00Z'], '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z'],
      [['2026-11-20 10:00:00.123456+0100'], '2026-11-20T09:00:00.123Z', '2026-11-20T09:00:00.123Z'],
      [['2026-11-20T10:00'], '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z'],
      [[], undefined, undefined],
    ])('takes firstSeen and lastSeen from time.source %j', (times, firstSeen, lastSeen) => {
      const events = times.length === 0 ? [base] : times.map((t) => ({ ...base, 'time.source': t }));
      const { fields } = imported(jsonl(...events));
      expect([fields.firstSeen, fields.lastSeen]).toEqual([firstSeen, lastSeen]);
    });

    it.each([
      'yesterday',
      '2026-13-01T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-11-20T24:00:00Z',
      '1700000000',
      '2026-11-20',
    ])('reports time.source %j that is not an ISO 8601 date and time', (time) => {
      const a = imported(jsonl({ ...base, 'time.source': time }));
      expect(a.fields.firstSeen).toBeUndefined();
      expect(a.unsupported).toEqual([at(1, `time.source "${time}" is not an ISO 8601 date and time; ignored`)]);
    });

    it('titles the alert only when every event names the same feed', () => {
      expect(imported(jsonl({ ...base, 'feed.name': 'F' }, { ...base, 'feed.name': 'F' })).fields.title).toBe(
        'F report',
      );
      expect(imported(jsonl({ ...base, 'feed.name': 'F' }, base)).fields.title).toBeUndefined();
      expect(imported(jsonl(base)).fields).not.toHaveProperty('description');
      expect(imported(jsonl({ ...base, 'feed.provider': 'P' })).fields.description).toBe('1 IntelMQ event from P');
    });

    it('ignores extra.*, raw, __type Event and unknown keys', () => {
      const a = imported(
        jsonl({
          ...base,
          __type: 'Event',
          extra: { 'source.ip': '198.51.100.9' },
          'extra.url': 'http://x/',
          raw: 'eA==',
        }),
      );
      expect(a.indicators).toEqual([{ value: '192.0.2.1', source: 'line 1' }]);
      expect(a.unsupported).toEqual([]);
    });

    it('reports an IntelMQ report, an event without indicator, and non-string values, keeping the rest', () => {
      const a = imported(
        jsonl(
          { __type: 'Report', 'feed.name': 'F', raw: 'eA==' },
          { 'classification.type': 'scanner', 'time.source': '2026-11-20T10:00:00Z' },
          { 'source.ip': ['192.0.2.1'], 'source.fqdn': 'ok.example.com', 'source.asn': true },
          base,
        ),
      );
      expect(a.indicators.map((i) => i.source)).toEqual(['line 3', 'line 4']);
      expect(a.unsupported).toEqual([
        at(1, 'an IntelMQ "Report", not an event; not imported'),
        at(2, 'the event has no indicator (source.ip, source.fqdn, source.url, malware.hash.*…); not imported'),
        at(3, 'source.ip must be a string; ignored'),
        at(3, 'source.asn must be a number or a string; ignored'),
      ]);
    });

    it('points issues of a JSON array document into the document', () => {
      const a = imported(JSON.stringify([base, { source: { ip: 42.5, fqdn: 'a.example' }, tlp: 'BLUE' }]));
      expect(a.unsupported).toEqual([
        { pointer: '/1/source/ip', detail: 'source.ip must be a string; ignored' },
        { pointer: '/1', detail: 'tlp "BLUE" is not a TLP level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED); ignored' },
      ]);
    });

    it('drops a UTF-8 BOM, reads CRLF and skips blank lines', () => {
      const a = imported(`\uFEFF${JSON.stringify(base)}\r\n\r\n${JSON.stringify(base)}\r\n`);
      expect(a.indicators.map((i) => i.source)).toEqual(['line 1', 'line 3']);
    });

    it('keeps keys named like Object.prototype members as plain data', () => {
      const a = imported('{"__proto__": {"ip": "x"}, "constructor": 1, "source.ip": "192.0.2.1", "toString": "y"}\n');
      expect(a.indicators).toEqual([{ value: '192.0.2.1', source: 'line 1' }]);
    });
  });

  describe('refusals and limits', () => {
    it.each<[string, Issue[]]>([
      ['', [{ pointer: '', detail: 'holds no IntelMQ event' }]],
      ['\n  \n', [{ pointer: '', detail: 'holds no IntelMQ event' }]],
      ['[]', [{ pointer: '', detail: 'holds no IntelMQ event' }]],
      [
        '{"source.ip": "192.0.2.1"}\nnot json\n[1]\n"text"\n',
        [
          at(2, 'is not valid JSON: each line must be one IntelMQ event (a JSON object)'),
          at(3, 'is not a JSON object: each line must be one IntelMQ event'),
          at(4, 'is not a JSON object: each line must be one IntelMQ event'),
        ],
      ],
      [
        '{"source.ip": "192.0.2.1",\n',
        [at(1, 'is not valid JSON: each line must be one IntelMQ event (a JSON object)')],
      ],
      [
        '[{"source.ip": "192.0.2.1"}',
        [{ pointer: '', detail: 'is not valid JSON: expected JSON lines, an array of events or one event' }],
      ],
      [
        '[{"source.ip": "192.0.2.1"}, 3]',
        [{ pointer: '/1', detail: 'is not a JSON object: each event must be an IntelMQ event' }],
      ],
    ])('refuses %j', (text, issues) => {
      expect(refused(text)).toEqual(issues);
    });

    it('refuses more than maxEvents events at the first event over the limit', () => {
      const text =
        jsonl({ 'source.ip': '192.0.2.1' }, { 'source.ip': '192.0.2.2' }) + '\n' + jsonl({ 'source.ip': '192.0.2.3' });
      expect(refused(text, { maxEvents: 2 })).toEqual([
        at(4, 'the file has more than 2 events; at most 2 are accepted'),
      ]);
      expect(imported(text, { maxEvents: 3 }).indicators).toHaveLength(3);
      expect(refused(JSON.stringify([{}, {}, {}]), { maxEvents: 2 })).toEqual([
        { pointer: '/2', detail: 'the document holds 3 events; at most 2 are accepted' },
      ]);
    });

    it('applies the default limit of 100,000 events', () => {
      const line = JSON.stringify({ 'source.ip': '192.0.2.1' });
      expect(refused(Array(100_001).fill(line).join('\n'))).toEqual([
        at(100_001, 'the file has more than 100000 events; at most 100000 are accepted'),
      ]);
    });

    it(`reports a value over ${INTELMQ_MAX_VALUE_LENGTH} characters and imports one of exactly that length`, () => {
      const exact = `http://x.example/${'a'.repeat(INTELMQ_MAX_VALUE_LENGTH - 17)}`;
      const a = imported(jsonl({ 'source.url': `${exact}a` }, { 'source.url': exact }));
      expect(a.indicators).toEqual([{ type: 'url', value: exact, source: 'line 2' }]);
      expect(a.unsupported).toEqual([
        at(1, `source.url is longer than ${INTELMQ_MAX_VALUE_LENGTH} characters; not imported`),
      ]);
    });

    it(`keeps at most ${INTELMQ_MAX_REFERENCES} references and lists at most ${INTELMQ_MAX_ISSUES} issues`, () => {
      const events = Array.from({ length: INTELMQ_MAX_REFERENCES + 7 }, (_, i) => ({
        'source.ip': '192.0.2.1',
        'event_description.url': `https://db.example.org/${i}`,
        tlp: 'NOPE',
      }));
      const a = imported(jsonl(...events));
      expect(a.fields.references).toHaveLength(INTELMQ_MAX_REFERENCES);
      expect(a.unsupported).toHaveLength(INTELMQ_MAX_ISSUES + 2);
      expect(a.unsupported.slice(-2)).toEqual([
        {
          pointer: '',
          detail: `7 more event_description.url references were not kept (at most ${INTELMQ_MAX_REFERENCES})`,
        },
        { pointer: '', detail: '7 more unsupported parts are not listed' },
      ]);
    });
  });

  describe('properties', () => {
    function check(text: string): void {
      const r = importIntelMq(text, { maxEvents: 50, rsit: RSIT });
      if (r.ok) {
        for (const i of r.value.indicators) {
          expect(i.source).toMatch(/^(line \d+|(\/[^/]*)+)$/);
          expect(i.value).not.toBe('');
        }
      } else {
        expect(r.error.length).toBeGreaterThan(0);
      }
    }

    it('never throws on arbitrary strings', () => {
      fc.assert(fc.property(fc.string(), (s) => check(s)));
      fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => check(s)));
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\n', 'a', '1') }), (s) =>
          check(s),
        ),
      );
    });

    it('never throws on arbitrary JSON, as lines or as one document', () => {
      fc.assert(fc.property(fc.array(fc.json(), { maxLength: 10 }), (lines) => check(lines.join('\n'))));
      fc.assert(fc.property(fc.jsonValue(), (v) => check(JSON.stringify(v, null, 1) ?? '')));
    });

    it('reads every IntelMQ-like event, whatever its field values', () => {
      const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()));
      const event = fc.dictionary(
        fc.constantFrom(
          'source.ip',
          'source.fqdn',
          'source.asn',
          'destination.url',
          'malware.hash.md5',
          'classification.type',
          'classification.taxonomy',
          'time.source',
          'tlp',
          'feed.name',
          'event_description.url',
          '__type',
        ),
        value,
      );
      fc.assert(
        fc.property(fc.array(event, { minLength: 1, maxLength: 10 }), (events) => {
          const r = importIntelMq(jsonl(...events), { rsit: RSIT });
          expect(r.ok).toBe(true);
          if (r.ok) {
            for (const i of r.value.indicators) {
              const line = Number(/^line (\d+)$/.exec(i.source)?.[1]);
              expect(line).toBeGreaterThanOrEqual(1);
              expect(line).toBeLessThanOrEqual(events.length);
            }
          }
        }),
      );
    });
  });
});
