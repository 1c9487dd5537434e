import { INDICATOR_TYPES, type IndicatorType } from '../../alerts/indicator-types';

/**
 * What a CSV column holds, by its header name.
 *
 * - `indicator`: each non-empty cell is one indicator of `type` (undefined = an IP column, v4 or v6: normalization
 *   infers which). A `context` column describes the row's subject (the sinkhole a bot talked to, the AS of an
 *   address, the host of a URL): it is read only when the header has no subject column at all.
 * - `value` + `type`: the `type,value[,comment]` shape; the row's type cell types its value cell.
 * - `comment`: joined into each indicator's comment. `tlp`: a per-row TLP (the alert takes the most restrictive).
 * - `to-ids`: MISP's CSV export flag; `0`/`false` marks the row's indicators not actionable.
 */
export type CsvColumn =
  | { readonly role: 'indicator'; readonly type: IndicatorType | undefined; readonly context?: true }
  | { readonly role: 'value' | 'type' | 'comment' | 'tlp' | 'to-ids' };

const subject = (type: IndicatorType | undefined): CsvColumn => ({ role: 'indicator', type });
const context = (type: IndicatorType | undefined): CsvColumn => ({ role: 'indicator', type, context: true });
const IP = undefined;

/**
 * Known header names (compared case-insensitively, with `_`, `.`, `-` and spaces alike: `source.ip`, `Source IP`
 * and `source_ip` are one name). Shapes they cover: `type,value,comment`; MISP's CSV export (`type,value,comment,
 * to_ids`); Amnesty `domain_name,ip_address`; `sha256,Description`; abuse.ch Feodo (`dst_ip` … `malware`);
 * URLhaus (`url` … `threat`, with `host`/`IPaddress`/`ASnumber` as context); Shadowserver (`src_ip` subject,
 * `dst_ip` = the sinkhole, context); CERT-EU (`source ip`, `url`, `domain name`, `tlp`, `description`); IntelMQ's
 * CSV output (`source.ip`, `source.fqdn`, `source.url`, `source.asn`).
 */
export const CSV_COLUMNS: readonly (readonly [names: readonly string[], column: CsvColumn])[] = [
  [['value', 'indicator', 'ioc'], { role: 'value' }],
  [['type', 'indicator type', 'ioc type'], { role: 'type' }],
  [['comment', 'comments', 'description', 'note', 'notes'], { role: 'comment' }],
  [['malware', 'malware family', 'family', 'infection', 'threat'], { role: 'comment' }],
  [['tlp'], { role: 'tlp' }],
  [['to ids'], { role: 'to-ids' }],
  [['ip', 'ip address', 'src ip', 'source ip'], subject(IP)],
  [['network', 'source network'], subject('cidr')],
  [['domain', 'domain name', 'fqdn', 'hostname', 'source fqdn'], subject('domain')],
  [['url', 'source url'], subject('url')],
  [['email', 'email address'], subject('email')],
  [['cve', 'cve id'], subject('cve')],
  [['dst ip', 'destination ip', 'ipaddress'], context(IP)],
  [['host', 'destination fqdn'], context('domain')],
  [['destination url'], context('url')],
  [['asn', 'as', 'src asn', 'source asn', 'dst asn', 'destination asn', 'asnumber', 'as number'], context('asn')],
];

/**
 * Type names as senders write them (a `type` cell, or a header naming a MISP type, e.g. `md5, sha1, sha256`),
 * lower-case → our type; undefined = an IP of either family (inferred later). Absent = not an indicator type.
 */
export const CSV_TYPE_NAMES: ReadonlyMap<string, IndicatorType | undefined> = new Map<
  string,
  IndicatorType | undefined
>([
  ...INDICATOR_TYPES.map((t): [string, IndicatorType] => [t, t]),
  ['ip', IP],
  ['ip-src', IP],
  ['ip-dst', IP],
  ['hostname', 'domain'],
  ['fqdn', 'domain'],
  ['domain-name', 'domain'],
  ['email-src', 'email'],
  ['email-dst', 'email'],
  ['email-addr', 'email'],
  ['vulnerability', 'cve'],
  ['as', 'asn'],
  ['ipv4-addr', 'ipv4'],
  ['ipv6-addr', 'ipv6'],
]);

function headerKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s._-]+/g, ' ');
}

const BY_NAME: ReadonlyMap<string, CsvColumn> = new Map(
  CSV_COLUMNS.flatMap(([names, column]) => names.map((n): [string, CsvColumn] => [headerKey(n), column])),
);

/** A type cell → `{ type }` (type undefined: an IP, inferred later), or undefined when it names no type of ours. */
export function csvIndicatorType(name: string): { readonly type: IndicatorType | undefined } | undefined {
  const key = name.trim().toLowerCase();
  return CSV_TYPE_NAMES.has(key) ? { type: CSV_TYPE_NAMES.get(key) } : undefined;
}

/** What a header name says about its column: the table above first, then a type name (`md5`, `ip-dst`…). */
export function csvColumn(name: string): CsvColumn | undefined {
  const known = BY_NAME.get(headerKey(name));
  if (known) {
    return known;
  }
  const typed = csvIndicatorType(name);
  return typed ? subject(typed.type) : undefined;
}

export interface IndicatorColumn {
  readonly index: number;
  /** `per-row`: a value column typed by the row's type cell. */
  readonly type: IndicatorType | undefined | 'per-row';
}

/** Which columns of a header hold what; undefined when no column can hold an indicator (then it is no header). */
export interface ColumnPlan {
  readonly indicators: readonly IndicatorColumn[];
  readonly typeColumn: number | undefined;
  readonly comments: readonly number[];
  readonly tlp: number | undefined;
  readonly toIds: number | undefined;
}

export function planColumns(header: readonly string[]): ColumnPlan | undefined {
  const subjects: IndicatorColumn[] = [];
  const contexts: IndicatorColumn[] = [];
  const comments: number[] = [];
  let typeColumn: number | undefined;
  let tlp: number | undefined;
  let toIds: number | undefined;
  header.forEach((name, index) => {
    const c = csvColumn(name);
    if (!c) {
      return;
    }
    switch (c.role) {
      case 'indicator':
        (c.context ? contexts : subjects).push({ index, type: c.type });
        break;
      case 'value':
        subjects.push({ index, type: 'per-row' });
        break;
      case 'type':
        typeColumn ??= index;
        break;
      case 'comment':
        comments.push(index);
        break;
      case 'tlp':
        tlp ??= index;
        break;
      case 'to-ids':
        toIds ??= index;
        break;
    }
  });
  const indicators = subjects.length > 0 ? subjects : contexts;
  return indicators.length === 0 ? undefined : { indicators, typeColumn, comments, tlp, toIds };
}
