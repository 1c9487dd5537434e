import { describe, expect, it } from 'vitest';
import type { IndicatorType } from '../../alerts/indicator-types';
import { csvColumn, csvIndicatorType, planColumns, type CsvColumn } from './csv-columns';

const subject = (type: IndicatorType | undefined): CsvColumn => ({ role: 'indicator', type });
const context = (type: IndicatorType | undefined): CsvColumn => ({ role: 'indicator', type, context: true });

describe(csvColumn.name, () => {
  it.each<[string, CsvColumn]>([
    ['value', { role: 'value' }],
    [' Indicator ', { role: 'value' }],
    ['IOC', { role: 'value' }],
    ['type', { role: 'type' }],
    ['Indicator_Type', { role: 'type' }],
    ['comment', { role: 'comment' }],
    ['Description', { role: 'comment' }],
    ['note', { role: 'comment' }],
    ['malware', { role: 'comment' }],
    ['infection', { role: 'comment' }],
    ['family', { role: 'comment' }],
    ['Threat', { role: 'comment' }],
    ['tlp', { role: 'tlp' }],
    ['TLP', { role: 'tlp' }],
    ['to_ids', { role: 'to-ids' }],
    ['ip', subject(undefined)],
    ['ip_address', subject(undefined)],
    ['IP Address', subject(undefined)],
    ['src_ip', subject(undefined)],
    ['source_ip', subject(undefined)],
    ['source ip', subject(undefined)],
    ['source.ip', subject(undefined)],
    ['ip-src', subject(undefined)],
    ['ip-dst', subject(undefined)],
    ['ipv4', subject('ipv4')],
    ['ipv6', subject('ipv6')],
    ['network', subject('cidr')],
    ['source.network', subject('cidr')],
    ['cidr', subject('cidr')],
    ['domain', subject('domain')],
    ['domain_name', subject('domain')],
    ['domain name', subject('domain')],
    ['fqdn', subject('domain')],
    ['hostname', subject('domain')],
    ['source.fqdn', subject('domain')],
    ['url', subject('url')],
    ['URL', subject('url')],
    ['source.url', subject('url')],
    ['email', subject('email')],
    ['email-src', subject('email')],
    ['md5', subject('md5')],
    [' sha1', subject('sha1')],
    ['SHA256', subject('sha256')],
    ['sha512', subject('sha512')],
    ['cve', subject('cve')],
    ['vulnerability', subject('cve')],
    ['dst_ip', context(undefined)],
    ['destination.ip', context(undefined)],
    ['IPaddress', context(undefined)],
    ['host', context('domain')],
    ['Host', context('domain')],
    ['destination.fqdn', context('domain')],
    ['destination.url', context('url')],
    ['asn', context('asn')],
    ['AS', context('asn')],
    ['src_asn', context('asn')],
    ['source asn', context('asn')],
    ['source.asn', context('asn')],
    ['ASnumber', context('asn')],
  ])('reads header %j as %j', (name, column) => {
    expect(csvColumn(name)).toEqual(column);
  });

  it.each(['first_seen_utc', 'dst_port', 'timestamp', 'src_hostname', 'http_host', 'feed code', 'filename', ''])(
    'does not know header %j',
    (name) => {
      expect(csvColumn(name)).toBeUndefined();
    },
  );
});

describe(csvIndicatorType.name, () => {
  it.each<[string, IndicatorType | undefined]>([
    ['ipv4', 'ipv4'],
    ['IPv6', 'ipv6'],
    ['cidr', 'cidr'],
    ['domain', 'domain'],
    ['url', 'url'],
    ['email', 'email'],
    ['md5', 'md5'],
    ['sha1', 'sha1'],
    ['sha256', 'sha256'],
    ['sha512', 'sha512'],
    ['cve', 'cve'],
    ['asn', 'asn'],
    ['ip', undefined],
    ['ip-src', undefined],
    ['IP-DST', undefined],
    ['hostname', 'domain'],
    ['domain-name', 'domain'],
    ['email-src', 'email'],
    ['email-dst', 'email'],
    ['vulnerability', 'cve'],
    ['AS', 'asn'],
    [' url ', 'url'],
  ])('maps type %j to %j', (name, type) => {
    expect(csvIndicatorType(name)).toEqual({ type });
  });

  it.each(['filename', 'regkey', 'domain|ip', 'ip-dst|port', 'link', 'text', 'ipaddress'])(
    'does not map type %j',
    (name) => {
      expect(csvIndicatorType(name)).toBeUndefined();
    },
  );
});

describe(planColumns.name, () => {
  it('reads a type,value,comment header', () => {
    expect(planColumns(['type', 'value', 'comment'])).toEqual({
      indicators: [{ index: 1, type: 'per-row' }],
      typeColumn: 0,
      comments: [2],
      tlp: undefined,
      toIds: undefined,
    });
  });

  it('uses context columns only when the header has no subject column', () => {
    expect(planColumns(['first_seen_utc', 'dst_ip', 'dst_port', 'malware'])?.indicators).toEqual([
      { index: 1, type: undefined },
    ]);
    expect(planColumns(['src_ip', 'src_asn', 'dst_ip', 'family'])?.indicators).toEqual([{ index: 0, type: undefined }]);
    expect(planColumns(['Dateadded (UTC)', 'URL', 'Host', 'IPaddress', 'ASnumber'])?.indicators).toEqual([
      { index: 1, type: 'url' },
    ]);
  });

  it('reads every subject column of the Amnesty and CERT-EU shapes', () => {
    expect(planColumns(['domain_name', 'ip_address'])?.indicators).toEqual([
      { index: 0, type: 'domain' },
      { index: 1, type: undefined },
    ]);
    expect(planColumns(['source ip', 'tlp', 'source asn', 'url', 'domain name'])).toEqual({
      indicators: [
        { index: 0, type: undefined },
        { index: 3, type: 'url' },
        { index: 4, type: 'domain' },
      ],
      typeColumn: undefined,
      comments: [],
      tlp: 1,
      toIds: undefined,
    });
  });

  it.each([[['type', 'comment']], [['first_seen', 'port']], [['example.com']], [[]]])(
    'finds no plan in %j',
    (header) => {
      expect(planColumns(header)).toBeUndefined();
    },
  );
});
