import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndicatorType } from '../../alerts/indicator-types';
import type { TlpLabel } from '../../alerts/tlp';
import type { ImportedAlert, RawIndicator } from '../../model/canonical';
import type { Issue } from '../../shared/result';
import { detectHeaderlessDelimiter, isIndicatorCell } from './headerless';
import { CSV_MAX_ISSUES, CSV_MAX_VALUE_LENGTH, importCsv } from './import-csv';

const FIXTURES = resolve(__dirname, '../../../../../test/fixtures/csv');
const fixture = (name: string): string => readFileSync(resolve(FIXTURES, name), 'utf8');

function imported(text: string, opts?: { maxRows?: number }): ImportedAlert {
  const r = importCsv(text, opts);
  if (!r.ok) {
    throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  }
  return r.value;
}

function refused(text: string, opts?: { maxRows?: number }): Issue[] {
  const r = importCsv(text, opts);
  if (r.ok) {
    throw new Error(`expected a refusal, got ${JSON.stringify(r.value)}`);
  }
  return r.error;
}

/** An issue at a line; a RegExp detail matches the start of a longer message. */
function at(line: number, detail: string | RegExp): Issue {
  const d: string = typeof detail === 'string' ? detail : expect.stringMatching(detail);
  return { pointer: `/line/${line}`, line, detail: d };
}

const counts = (indicators: readonly RawIndicator[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of indicators) {
    out[i.type ?? '(inferred)'] = (out[i.type ?? '(inferred)'] ?? 0) + 1;
  }
  return out;
};

describe(importCsv.name, () => {
  describe('real samples', () => {
    it('reads the Amnesty NSO domain_name,ip_address file: both columns, 604 rows', () => {
      const a = imported(fixture('amnesty-2018-nso-domain-ip.csv'));
      expect(a.format).toBe('csv');
      expect(a.fields).toEqual({});
      expect(a.unsupported).toEqual([]);
      expect(a.indicators).toHaveLength(1208);
      expect(counts(a.indicators)).toEqual({ domain: 604, '(inferred)': 604 });
      expect(a.indicators.slice(0, 2)).toEqual([
        { type: 'domain', value: '14-tracking.com', source: 'line 2' },
        { value: '191.101.31.25', source: 'line 2' },
      ]);
      expect(a.indicators.slice(-2)).toEqual([
        { type: 'domain', value: 'zsports-info.com', source: 'line 605' },
        { value: '89.43.60.104', source: 'line 605' },
      ]);
    });

    it('reads the Amnesty FinFisher sha256,Description file with descriptions as comments', () => {
      const a = imported(fixture('amnesty-2020-finfisher-sha256.csv'));
      expect(a.indicators).toHaveLength(12);
      expect(counts(a.indicators)).toEqual({ sha256: 12 });
      expect(a.indicators[0]).toEqual({
        type: 'sha256',
        value: '1e9162cd0941557304a6a097dfaadf59f90bc8bbaa9879afe67b5ce0d1514be8',
        source: 'line 2',
        comment: 'Linux FinSpy sample',
      });
      expect(a.indicators[11]).toEqual({
        type: 'sha256',
        value: '14658327efaa15275fb8718956ee97ebcad5bc80312a4f3182a3b10cd3dcf257',
        source: 'line 13',
        comment: 'NilePhish downloader',
      });
    });

    it.each<[string, number, string, string]>([
      ['amnesty-2020-uzbekistan-ips.txt', 22, '51.15.100.189', '217.61.17.175'],
      ['amnesty-2020-uzbekistan-domains.txt', 71, 'acccountsgoog1e.com', 'yandex-account-security.com'],
      [
        'eset-agrius-samples.sha256.txt',
        7,
        '9ccf9817da1ee8c1ab33a364a3c03a28769ab68a42c437295dae47448a6c5138',
        '559728144a911d13ab978473091e68581d91bf426e84f500a2026537c20b0ec3',
      ],
    ])('reads the plain list %s: %i values of inferred type', (name, n, first, last) => {
      const a = imported(fixture(name));
      expect(a.indicators).toHaveLength(n);
      expect(a.indicators[0]).toEqual({ value: first, source: 'line 1' });
      expect(a.indicators[n - 1]).toEqual({ value: last, source: `line ${n}` });
      expect(a.unsupported).toEqual([]);
    });

    it('reads the PyMISP md5, sha1, sha256 header (MISP type names, spaces after commas)', () => {
      const a = imported(fixture('pymisp-valid_fieldnames.csv'));
      expect(counts(a.indicators)).toEqual({ md5: 3, sha1: 3, sha256: 3 });
      expect(a.indicators.slice(0, 3)).toEqual([
        { type: 'md5', value: '644087ccca16d2a728ef7685a4106f09', source: 'line 2' },
        { type: 'sha1', value: 'eabd6974ac71efd72d9e0688d5a6131f336d169c', source: 'line 2' },
        {
          type: 'sha256',
          value: '385e31c97e3a07bbb81513f0cd0979e64e6b014943902efd002f57b21eadd41e',
          source: 'line 2',
        },
      ]);
      expect(a.indicators[8]?.source).toBe('line 4');
    });
  });

  describe('feed shapes (written for Tocsin)', () => {
    it('reads the Feodo layout: banner, quoted header, dst_ip, malware as comment, END footer', () => {
      const a = imported(fixture('abusech-feodo-shape.csv'));
      expect(a.indicators).toEqual([
        { value: '192.0.2.45', source: 'line 9', comment: 'Dridex' },
        { value: '198.51.100.17', source: 'line 10', comment: 'Emotet' },
        { value: '203.0.113.200', source: 'line 11', comment: 'QakBot' },
      ]);
      expect(a.unsupported).toEqual([]);
    });

    it('reads the URLhaus layout: header in a comment, the url column only, # inside a URL', () => {
      const a = imported(fixture('urlhaus-shape.csv'));
      expect(a.indicators).toEqual([
        {
          type: 'url',
          value: 'http://shop.example.com/wp-content/invoice.doc',
          source: 'line 11',
          comment: 'malware_download',
        },
        {
          type: 'url',
          value: 'http://files.example.net/dl/update.exe?id=7#top',
          source: 'line 12',
          comment: 'malware_download',
        },
        { type: 'url', value: 'https://203.0.113.9:8443/bins/arm7', source: 'line 13', comment: 'malware_download' },
      ]);
    });

    it('reads the Shadowserver sinkhole layout: src_ip, not the sinkhole dst_ip; infection/family as comment', () => {
      const a = imported(fixture('shadowserver-sinkhole-shape.csv'));
      expect(a.indicators).toEqual([
        { value: '192.0.2.21', source: 'line 2', comment: 'andromeda' },
        { value: '198.51.100.34', source: 'line 3', comment: 'andromeda' },
        { value: '2001:db8::25', source: 'line 4', comment: 'example-bot' },
      ]);
    });

    it('reads the CERT-EU layout: most restrictive tlp, quoted "lat,lon", source ip + url + domain name', () => {
      const a = imported(fixture('cert-eu-shape.csv'));
      expect(a.fields).toEqual({ tlp: 'AMBER' });
      const urlComment = 'A URL serving a malware binary.';
      const phishComment = 'A URL trying to defraud users of their credentials.';
      expect(a.indicators).toEqual([
        { value: '192.0.2.10', source: 'line 2', comment: urlComment },
        { type: 'url', value: 'http://malware.example.com/payload.bin', source: 'line 2', comment: urlComment },
        { value: '198.51.100.34', source: 'line 3', comment: phishComment },
        { type: 'url', value: 'https://login.example.net/verify', source: 'line 3', comment: phishComment },
        { type: 'domain', value: 'login.example.net', source: 'line 3', comment: phishComment },
        { value: '203.0.113.77', source: 'line 4', comment: 'An infected host talking to a sinkhole.' },
      ]);
      expect(a.unsupported).toEqual([]);
    });

    it('reads the MISP CSV export: type names, to_ids, quoted commas; an unknown type is reported', () => {
      const a = imported(fixture('misp-export-shape.csv'));
      expect(a.indicators.map((i) => [i.type, i.value, i.source, i.actionable])).toEqual([
        [undefined, '192.0.2.66', 'line 2', true],
        ['domain', 'c2.example.com', 'line 3', true],
        ['domain', 'update.example.net', 'line 4', true],
        ['url', 'https://update.example.net/get?x=1,2', 'line 5', true],
        ['md5', '0123456789abcdef0123456789abcdef', 'line 6', true],
        ['sha256', '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'line 7', true],
        ['email', 'invoices@example.org', 'line 8', false],
        ['cve', 'CVE-2021-44228', 'line 9', false],
        ['asn', 'AS64496', 'line 10', false],
        [undefined, '2001:db8::66', 'line 12', true],
      ]);
      expect(a.indicators[1]?.comment).toBe('C2 domain, seen in beacons');
      expect(a.indicators[2]).not.toHaveProperty('comment');
      expect(a.unsupported).toEqual([at(11, 'type "filename" is not an indicator type Tocsin imports; not imported')]);
    });

    it('reads the DROP layout as a plain list: ; comments, value ; comment entries', () => {
      const a = imported(fixture('spamhaus-drop-shape.txt'));
      expect(a.indicators).toEqual([
        { value: '192.0.2.0/24', source: 'line 5', comment: 'SBL-EX-0001' },
        { value: '198.51.100.0/25', source: 'line 6', comment: 'SBL-EX-0002' },
        { value: '203.0.113.128/25', source: 'line 7', comment: 'SBL-EX-0003' },
        { value: '2001:db8:1000::/36', source: 'line 8', comment: 'SBL-EX-0004' },
      ]);
    });
  });

  describe('type,value[,comment]', () => {
    it.each<[string, IndicatorType | undefined]>([
      ['', undefined],
      ['ip', undefined],
      ['ip-src', undefined],
      ['ip-dst', undefined],
      ['hostname', 'domain'],
      ['email-src', 'email'],
      ['vulnerability', 'cve'],
      ['AS', 'asn'],
      ['url', 'url'],
      ['md5', 'md5'],
      ['sha1', 'sha1'],
      ['sha256', 'sha256'],
      ['sha512', 'sha512'],
      ['IPv4', 'ipv4'],
      ['cidr', 'cidr'],
    ])('types a row whose type cell is %j as %j', (typeCell, type) => {
      const [indicator] = imported(`type,value\n${typeCell},x\n`).indicators;
      expect(indicator).toEqual({ ...(type ? { type } : {}), value: 'x', source: 'line 2' });
    });

    it.each([['Type,Value,Comment'], [' TYPE , Indicator , Description '], ['type,ioc,note'], ['ioc,type,comment']])(
      'accepts the header %j (names case-insensitive and trimmed)',
      (header) => {
        const cells = header.split(',').map((h) => h.trim().toLowerCase());
        const row = cells.map((c) =>
          c === 'type' ? 'domain' : ['value', 'indicator', 'ioc'].includes(c) ? 'a.example' : 'why',
        );
        expect(imported(`${header}\n${row.join(',')}\n`).indicators).toEqual([
          { type: 'domain', value: 'a.example', source: 'line 2', comment: 'why' },
        ]);
      },
    );

    it('reads a header with only a value column', () => {
      expect(imported('value\n192.0.2.1\n\nexample.com\n').indicators).toEqual([
        { value: '192.0.2.1', source: 'line 2' },
        { value: 'example.com', source: 'line 4' },
      ]);
    });

    it('reports an unknown type at its line and keeps the other rows', () => {
      const a = imported('type,value\nmd5,0123456789abcdef0123456789abcdef\nregkey,HKLM\\Run\nurl,http://x.example/\n');
      expect(a.indicators.map((i) => i.source)).toEqual(['line 2', 'line 4']);
      expect(a.unsupported).toEqual([at(3, 'type "regkey" is not an indicator type Tocsin imports; not imported')]);
    });

    it('reports a row without value', () => {
      const a = imported('type,value,comment\nurl,,no value here\nurl,http://x.example/,\n');
      expect(a.unsupported).toEqual([at(2, 'the row has no indicator value; not imported')]);
      expect(a.indicators).toEqual([{ type: 'url', value: 'http://x.example/', source: 'line 3' }]);
    });

    it('skips rows whose cells are all empty', () => {
      const a = imported('type,value\n,\n , \nurl,http://x.example/\n');
      expect(a.indicators).toEqual([{ type: 'url', value: 'http://x.example/', source: 'line 4' }]);
      expect(a.unsupported).toEqual([]);
    });

    it.each([
      [',', 'type,value\nurl,http://x.example/a'],
      ['\t', 'type\tvalue\nurl\thttp://x.example/a'],
      [';', 'type;value\nurl;http://x.example/a'],
    ])('reads a header delimited by %j', (_d, text) => {
      expect(imported(text).indicators).toEqual([{ type: 'url', value: 'http://x.example/a', source: 'line 2' }]);
    });
  });

  describe('tlp column', () => {
    it.each<[string[], TlpLabel | undefined]>([
      [['amber', 'green'], 'AMBER'],
      [['green', 'clear'], 'GREEN'],
      [['white'], 'CLEAR'],
      [['TLP:RED', 'amber'], 'RED'],
      [['Amber+Strict', 'AMBER'], 'AMBER+STRICT'],
      [['tlp: green', ''], 'GREEN'],
      [['', ''], undefined],
    ])('takes the most restrictive of %j: %j', (cells, tlp) => {
      const rows = cells.map((c, i) => `192.0.2.${i + 1},${c}`).join('\n');
      expect(imported(`ip,tlp\n${rows}\n`).fields).toEqual(tlp ? { tlp } : {});
    });

    it('reports a cell that is no TLP level and ignores it', () => {
      const a = imported('ip,tlp\n192.0.2.1,purple\n192.0.2.2,green\n');
      expect(a.fields).toEqual({ tlp: 'GREEN' });
      expect(a.unsupported).toEqual([at(2, /^tlp "purple" is not a TLP level/)]);
      expect(a.indicators).toHaveLength(2);
    });
  });

  describe('plain lists', () => {
    it('skips # and ; comments and blank lines; numbers physical lines', () => {
      const a = imported('# banner\n; another\n\n192.0.2.1\n  \nexample.com  \n# END\n');
      expect(a.indicators).toEqual([
        { value: '192.0.2.1', source: 'line 4' },
        { value: 'example.com', source: 'line 6' },
      ]);
    });

    it('splits value # comment and value ; comment', () => {
      expect(
        imported('198.51.100.0/24 ; SBL1\nbad.example # phishing kit\nhttp://x.example/#frag\n').indicators,
      ).toEqual([
        { value: '198.51.100.0/24', source: 'line 1', comment: 'SBL1' },
        { value: 'bad.example', source: 'line 2', comment: 'phishing kit' },
        { value: 'http://x.example/#frag', source: 'line 3' },
      ]);
    });

    it('keeps a URL holding a comma as one value', () => {
      expect(imported('http://x.example.com/a?b=1,2\nhttp://x.example.com/c?d=3,4\n').indicators).toEqual([
        { value: 'http://x.example.com/a?b=1,2', source: 'line 1' },
        { value: 'http://x.example.com/c?d=3,4', source: 'line 2' },
      ]);
    });
  });

  describe('headerless delimited files', () => {
    it('reads a tab-separated file cell by cell, ignoring times, numbers and free text, reporting a line without indicator', () => {
      const a = imported(fixture('headerless-blocklist.tsv'));
      expect(a.indicators.map((i) => [i.value, i.source])).toEqual([
        ['198.51.100.7', 'line 2'],
        ['evil.example.com', 'line 2'],
        ['198.51.100.8', 'line 3'],
        ['cdn-update.example.net', 'line 3'],
        ['2001:db8::7', 'line 4'],
        ['203.0.113.0/24', 'line 5'],
        ['bulletproof-hosting.example.org', 'line 5'],
        ['198.51.100.9', 'line 7'],
        ['http://evil.example.com/gate.php', 'line 7'],
        ['d41d8cd98f00b204e9800998ecf8427f', 'line 7'],
      ]);
      expect(a.indicators.every((i) => i.type === undefined && i.comment === undefined)).toBe(true);
      expect(a.unsupported).toEqual([at(6, /^no cell of the line is an indicator/)]);
    });

    it.each([
      ['tab', '198.51.100.7\tc2\t2024-01-01T00:00:00Z\n198.51.100.8\tc2\t2024-01-02T00:00:00Z\n'],
      ['pipe', '198.51.100.7|c2|2024-01-01T00:00:00Z\n198.51.100.8|c2|2024-01-02T00:00:00Z\n'],
      ['semicolon', '198.51.100.7;c2;2024-01-01T00:00:00Z\n198.51.100.8;c2;2024-01-02T00:00:00Z\n'],
      ['comma', '198.51.100.7,c2,2024-01-01T00:00:00Z\n198.51.100.8,c2,2024-01-02T00:00:00Z\n'],
      ['quoted comma', '"198.51.100.7","c2, a trojan",42\n"198.51.100.8","c2, a trojan",43\n'],
    ])('detects the %s delimiter', (_name, text) => {
      const a = imported(text);
      expect(a.indicators.map((i) => [i.value, i.source])).toEqual([
        ['198.51.100.7', 'line 1'],
        ['198.51.100.8', 'line 2'],
      ]);
      expect(a.unsupported).toEqual([]);
    });

    it('reads a line as IntelMQ’s generic CSV parser takes it: address, domain, time', () => {
      const a = imported('198.51.100.7\tevil.example.com\t2024-01-01T00:00:00Z\n');
      expect(a.indicators.map((i) => i.value)).toEqual(['198.51.100.7', 'evil.example.com']);
    });

    it('keeps a line with an empty first cell', () => {
      const a = imported('\tevil.example.com\t5\n198.51.100.7\t\t6\n');
      expect(a.indicators.map((i) => [i.value, i.source])).toEqual([
        ['evil.example.com', 'line 1'],
        ['198.51.100.7', 'line 2'],
      ]);
    });

    it('refuses a delimited file where no cell is an indicator, at its first line', () => {
      expect(refused('# export\nalpha\t2024-01-01T00:00:00Z\t42\nbeta\t2024-01-02T00:00:00Z\t43\n')).toEqual([
        at(
          2,
          'read as a tab-delimited file without a header, and no cell of this line (nor of any other) is an indicator',
        ),
      ]);
    });

    it('keeps a plain list with inline comments a plain list', () => {
      const a = imported('192.0.2.0/24 ; SBL1\n198.51.100.0/24 ; SBL2\n');
      expect(a.indicators).toEqual([
        { value: '192.0.2.0/24', source: 'line 1', comment: 'SBL1' },
        { value: '198.51.100.0/24', source: 'line 2', comment: 'SBL2' },
      ]);
    });

    it('refuses a delimited file over maxRows rows', () => {
      expect(refused('198.51.100.1\t1\n198.51.100.2\t2\n198.51.100.3\t3\n', { maxRows: 2 })).toEqual([
        at(3, 'the file has more than 2 rows; at most 2 are accepted'),
      ]);
    });
  });

  describe('encoding and layout', () => {
    it('drops a UTF-8 BOM and reads CRLF line endings', () => {
      expect(imported('\uFEFFtype,value\r\nurl,http://x.example/\r\nip,192.0.2.1\r\n').indicators).toEqual([
        { type: 'url', value: 'http://x.example/', source: 'line 2' },
        { value: '192.0.2.1', source: 'line 3' },
      ]);
      expect(imported('\uFEFF192.0.2.1\r\n\r\n192.0.2.2\r\n').indicators).toEqual([
        { value: '192.0.2.1', source: 'line 1' },
        { value: '192.0.2.2', source: 'line 3' },
      ]);
    });

    it('reads a header with a BOM before a quoted name', () => {
      expect(imported('\uFEFF"url","comment"\n"http://x.example/","a, b"\n').indicators).toEqual([
        { type: 'url', value: 'http://x.example/', source: 'line 2', comment: 'a, b' },
      ]);
    });

    it('reads lone CR line endings', () => {
      expect(imported('value\r192.0.2.1\r192.0.2.2').indicators.map((i) => i.source)).toEqual(['line 2', 'line 3']);
    });

    it('reads quoted fields with commas, doubled quotes and line breaks, numbering rows by their first line', () => {
      const a = imported('value,comment\n192.0.2.1,"seen at ""A"", then B"\n192.0.2.2,"two\r\nlines"\n192.0.2.3,x\n');
      expect(a.indicators).toEqual([
        { value: '192.0.2.1', source: 'line 2', comment: 'seen at "A", then B' },
        { value: '192.0.2.2', source: 'line 3', comment: 'two\nlines' },
        { value: '192.0.2.3', source: 'line 5', comment: 'x' },
      ]);
    });

    it('skips # comment lines and footers between and after rows', () => {
      const a = imported(
        '# generated\nurl\n# page 1\nhttp://a.example/\n\n# page 2\nhttp://b.example/\n# END (2) entries\n',
      );
      expect(a.indicators.map((i) => i.source)).toEqual(['line 4', 'line 7']);
    });

    it('keeps a stray quote inside an unquoted field as text', () => {
      expect(imported('value,comment\n192.0.2.1,the 5" disk\n').indicators[0]?.comment).toBe('the 5" disk');
    });
  });

  describe('refusals', () => {
    it('refuses an unclosed quote at the line where it opens', () => {
      expect(refused('value,comment\n192.0.2.1,ok\n\n192.0.2.2,"never closed\n192.0.2.3,x\n')).toEqual([
        at(4, 'malformed CSV: a quoted field opens here and is never closed (the file ends inside it, at line 5)'),
      ]);
    });

    it('refuses an unclosed quote in the first row after a commented header', () => {
      const [issue] = refused('# banner\n# url,comment\n"http://x.example/,oops\n');
      expect(issue).toEqual(at(3, /^malformed CSV: a quoted field opens here and is never closed/));
    });

    it.each([
      ['', 1, 'the file holds no indicators: it is empty or only comments'],
      ['\n\n  \n', 1, 'the file holds no indicators: it is empty or only comments'],
      ['# only\n; comments\n', 1, 'the file holds no indicators: it is empty or only comments'],
      ['# banner\ntype,value\n# END\n', 2, 'the file has a header but no rows'],
    ])('refuses %j (nothing to import)', (text, line, detail) => {
      expect(refused(text)).toEqual([at(line, detail)]);
    });
  });

  describe('limits', () => {
    it('refuses more than maxRows rows at the first row over the limit', () => {
      expect(refused('value\n# c\n1\n2\n3\n4\n', { maxRows: 3 })).toEqual([
        at(6, 'the file has more than 3 rows; at most 3 are accepted'),
      ]);
      expect(imported('value\n# c\n1\n2\n3\n', { maxRows: 3 }).indicators).toHaveLength(3);
    });

    it('refuses a plain list over maxRows', () => {
      expect(refused('a\n\nb\nc\n', { maxRows: 2 })).toEqual([
        at(4, 'the file has more than 2 rows; at most 2 are accepted'),
      ]);
    });

    it('applies the default limit of 100,000 rows', () => {
      const rows = Array.from({ length: 100_001 }, (_, i) => `h${i}.example`).join('\n');
      expect(refused(rows)).toEqual([at(100_001, 'the file has more than 100000 rows; at most 100000 are accepted')]);
      expect(refused(`domain\n${rows}`)).toEqual([
        at(100_002, 'the file has more than 100000 rows; at most 100000 are accepted'),
      ]);
    });

    it(`reports a value over ${CSV_MAX_VALUE_LENGTH} characters at its line and imports one of exactly that length`, () => {
      const long = `http://x.example/${'a'.repeat(CSV_MAX_VALUE_LENGTH)}`;
      const exact = `http://x.example/${'a'.repeat(CSV_MAX_VALUE_LENGTH - 17)}`;
      const csv = imported(`url\n${long}\n${exact}\n`);
      expect(csv.indicators).toEqual([{ type: 'url', value: exact, source: 'line 3' }]);
      expect(csv.unsupported).toEqual([at(2, `value is longer than ${CSV_MAX_VALUE_LENGTH} characters; not imported`)]);
      const list = imported(`${exact}\n${long}\n`);
      expect(list.indicators.map((i) => i.source)).toEqual(['line 1']);
      expect(list.unsupported).toEqual([
        at(2, `value is longer than ${CSV_MAX_VALUE_LENGTH} characters; not imported`),
      ]);
    });

    it(`lists at most ${CSV_MAX_ISSUES} unsupported rows, then counts the rest`, () => {
      const rows = Array.from({ length: CSV_MAX_ISSUES + 5 }, () => 'filename,a.exe').join('\n');
      const a = imported(`type,value\n${rows}\nurl,http://x.example/\n`);
      expect(a.unsupported).toHaveLength(CSV_MAX_ISSUES + 1);
      expect(a.unsupported[CSV_MAX_ISSUES]).toEqual(
        at(CSV_MAX_ISSUES + 2, '5 more rows or values were not imported (not listed)'),
      );
      expect(a.indicators).toHaveLength(1);
    });
  });

  describe('properties', () => {
    const lineCount = (text: string): number => text.split(/\r\n|\r|\n/).length;

    function checkResult(text: string): void {
      const r = importCsv(text, { maxRows: 50 });
      const n = lineCount(text);
      const issues = r.ok ? r.value.unsupported : r.error;
      for (const i of issues) {
        expect(i.line).toBeGreaterThanOrEqual(1);
        expect(i.line).toBeLessThanOrEqual(n);
        expect(i.pointer).toBe(`/line/${i.line}`);
      }
      if (r.ok) {
        for (const i of r.value.indicators) {
          const line = Number(/^line (\d+)$/.exec(i.source)?.[1]);
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(n);
          expect(i.value.trim()).not.toBe('');
        }
      }
    }

    it('never throws on arbitrary strings and locates every issue and indicator on an existing line', () => {
      fc.assert(fc.property(fc.string(), (s) => checkResult(s)));
      fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => checkResult(s)));
    });

    it('never throws on strings made of CSV syntax', () => {
      const csvish = fc.string({
        unit: fc.constantFrom(',', '"', '\n', '\r', 'a', '#', ';', ' ', '\uFEFF'),
        maxLength: 80,
      });
      fc.assert(fc.property(csvish, (s) => checkResult(s)));
      fc.assert(fc.property(csvish, (s) => checkResult(`type,value,tlp\n${s}`)));
      fc.assert(fc.property(csvish, (s) => checkResult(`# url,host\n${s}`)));
    });

    it('never takes a first line holding an IP address for a header, though another cell names a column', () => {
      const a = imported('1.0.0.1\t0\tip\n1.0.0.1\t0\ta');
      expect(a.indicators.map((i) => [i.value, i.source])).toEqual([
        ['1.0.0.1', 'line 1'],
        ['1.0.0.1', 'line 2'],
      ]);
      expect(a.unsupported).toEqual([]);
    });

    it('reads every IP cell of a generated headerless delimited file, and no other cell', () => {
      const ip = fc
        .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
        .map((o) => o.join('.'));
      const filler = fc.oneof(
        fc.integer({ min: 0, max: 65535 }).map(String),
        fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.stringMatching(/^[a-z][a-z ]{0,20}$/).map((t) => t.trim() || 'x'),
      );
      const row = fc.tuple(ip, filler, filler);
      fc.assert(
        fc.property(fc.constantFrom('\t', '|', ';', ','), fc.array(row, { minLength: 1, maxLength: 20 }), (d, rows) => {
          const a = imported(rows.map((r) => r.join(d)).join('\n'));
          expect(a.indicators.map((i) => [i.value, i.source])).toEqual(rows.map((r, n) => [r[0], `line ${n + 1}`]));
          expect(a.unsupported).toEqual([]);
        }),
      );
    });

    it('never accepts a delimited file with nothing read: every value read is an indicator, or the file is refused', () => {
      const cell = fc.oneof(
        fc.constantFrom('198.51.100.7', 'evil.example.com', 'http://x.example.net/a', 'CVE-2024-1234', 'AS64500'),
        fc.integer({ min: 0, max: 99999 }).map(String),
        fc.constantFrom('2024-01-01T00:00:00Z', '12:30:45', '3.14', 'n/a', 'zeus', 'free text', ''),
      );
      fc.assert(
        fc.property(
          fc.constantFrom('\t', '|', ';', ','),
          fc.integer({ min: 2, max: 5 }),
          fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 15 }),
          (d, width, rows) => {
            const text = rows.map((r) => r.slice(0, width).join(d)).join('\n');
            const r = importCsv(text);
            if (detectHeaderlessDelimiter(text.split('\n')) === undefined) {
              return;
            }
            if (r.ok) {
              expect(r.value.indicators.length).toBeGreaterThan(0);
              expect(r.value.indicators.every((i) => isIndicatorCell(i.value))).toBe(true);
            } else {
              expect(r.error[0]?.line).toBeGreaterThanOrEqual(1);
            }
          },
        ),
      );
    });

    it('imports every non-comment line of a plain list, with its line', () => {
      const value = fc.stringMatching(/^[0-9][a-z0-9.:/-]{0,30}$/); // a digit first: never a header name
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 30 }), (values) => {
          const a = imported(values.join('\n'));
          expect(a.indicators).toEqual(values.map((v, i) => ({ value: v, source: `line ${i + 1}` })));
        }),
      );
    });
  });
});
