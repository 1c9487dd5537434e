import type { IndicatorType } from '../../alerts/indicator-types';
import {
  formatComparison,
  formatLiteral,
  formatObjectPath,
  formatPattern,
  formatQualifier,
  type Comparison,
  type ComparisonExpression,
  type ObjectPath,
  type ObservationExpression,
  type PatternAst,
  type PrimitiveLiteral,
} from './stix-pattern';

/** One indicator read from a pattern; the value is as written (normalization validates it later). */
export interface PatternIndicator {
  readonly type: IndicatorType;
  readonly value: string;
}

/** The indicators a pattern yields, and why each part that yields none was left out. */
export interface PatternIndicators {
  readonly indicators: readonly PatternIndicator[];
  readonly unsupported: readonly string[];
}

/**
 * Turns a parsed pattern into plain indicators, the way a CERT would block or hunt them one by one.
 *
 * - `=` on a supported object path gives one indicator, `IN (...)` one per member; several comparisons
 *   joined by OR (inside one observation or between observations) give one each.
 * - Supported paths: `ipv4-addr:value` / `ipv6-addr:value` (a value with `/` is a cidr), `domain-name:value`,
 *   `url:value`, `email-addr:value`, `autonomous-system:number` (→ `AS<n>`) and `file:hashes.<key>` for
 *   MD5, SHA-1, SHA-256, SHA-512 in any spelling (`'SHA-256'`, `SHA256`, `sha256`, `SHA_256`).
 * - Qualifiers (WITHIN, REPEATS, START/STOP) are not applied: the comparisons under them are still
 *   extracted, and each qualifier is reported as not applied — an indicator is a value to watch for, and
 *   "seen twice within 5 minutes" cannot be carried by a plain value.
 * - Observations joined by AND or FOLLOWEDBY only match together (or in order): none of their comparisons
 *   stands alone, so nothing is extracted from them and the whole group is reported. The same holds for
 *   comparisons joined by AND, with one exception: AND between hashes of the same file (`file:hashes.MD5 = …
 *   AND file:hashes.'SHA-256' = …`) names one file, and each hash identifies it alone, so all are extracted.
 * - NOT, operators other than `=` / IN, EXISTS, unsupported paths (`file:name`, `process:*`, `x509-certificate:*`,
 *   …) and values of the wrong kind yield nothing and are reported.
 *
 * Nothing is dropped silently: every comparison either becomes an indicator or is covered by an `unsupported`
 * reason. Duplicate indicators within one pattern are kept once.
 */
export function patternToIndicators(ast: PatternAst): PatternIndicators {
  const out: Collector = { indicators: [], seen: new Set(), unsupported: [] };
  fromObservation(ast, out);
  return { indicators: out.indicators, unsupported: out.unsupported };
}

interface Collector {
  readonly indicators: PatternIndicator[];
  readonly seen: Set<string>;
  readonly unsupported: string[];
}

const MAX_EXCERPT = 160;

function excerpt(text: string): string {
  return text.length <= MAX_EXCERPT ? text : `${text.slice(0, MAX_EXCERPT - 1)}…`;
}

function add(out: Collector, indicator: PatternIndicator): void {
  const key = `${indicator.type}\u0000${indicator.value}`;
  if (!out.seen.has(key)) {
    out.seen.add(key);
    out.indicators.push(indicator);
  }
}

function fromObservation(expression: ObservationExpression, out: Collector): void {
  switch (expression.type) {
    case 'observation':
      fromComparison(expression.comparison, out);
      return;
    case 'qualified':
      out.unsupported.push(
        `qualifier ${formatQualifier(expression.qualifier)} is not applied: ` +
          `the comparisons it qualifies are extracted as plain indicators`,
      );
      fromObservation(expression.expression, out);
      return;
    case 'observation-group':
      if (expression.operator === 'OR') {
        expression.operands.forEach((operand) => fromObservation(operand, out));
        return;
      }
      out.unsupported.push(
        `${excerpt(formatPattern(expression))}: observations joined by ${expression.operator} only match ` +
          `${expression.operator === 'AND' ? 'together' : 'in sequence'}, so none becomes a stand-alone indicator`,
      );
      return;
  }
}

function fromComparison(expression: ComparisonExpression, out: Collector): void {
  switch (expression.type) {
    case 'comparison':
      fromSingleComparison(expression, out);
      return;
    case 'exists':
      out.unsupported.push(`EXISTS ${formatObjectPath(expression.path)}: an existence test names no value`);
      return;
    case 'comparison-group':
      if (expression.operator === 'OR') {
        expression.operands.forEach((operand) => fromComparison(operand, out));
        return;
      }
      if (expression.operands.every(isFileHashEquality)) {
        expression.operands.forEach((operand) => fromComparison(operand, out));
        return;
      }
      out.unsupported.push(
        `${excerpt(formatComparison(expression))}: comparisons joined by AND must all hold at once, ` +
          `so none becomes a stand-alone indicator`,
      );
      return;
  }
}

function isFileHashEquality(expression: ComparisonExpression): boolean {
  if (expression.type !== 'comparison' || expression.negated || expression.operator !== '=') {
    return false;
  }
  const target = observableOf(expression.path);
  return target.kind === 'hash' && expression.value.type === 'string';
}

function fromSingleComparison(comparison: Comparison, out: Collector): void {
  const text = excerpt(formatComparison(comparison));
  if (comparison.negated) {
    out.unsupported.push(`${text}: a negated comparison (NOT) names no value to watch for`);
    return;
  }
  const target = observableOf(comparison.path);
  if (target.kind === 'unsupported') {
    out.unsupported.push(`${text}: ${target.reason}`);
    return;
  }
  let values: readonly PrimitiveLiteral[];
  if (comparison.operator === '=') {
    values = comparison.value.type === 'set' ? [] : [comparison.value];
  } else if (comparison.operator === 'IN' && comparison.value.type === 'set') {
    values = comparison.value.values;
  } else {
    out.unsupported.push(`${text}: operator ${comparison.operator} does not name a value; only = and IN do`);
    return;
  }
  for (const literal of values) {
    const indicator = toIndicator(target, literal);
    if (typeof indicator === 'string') {
      out.unsupported.push(`${formatObjectPath(comparison.path)} = ${excerpt(formatLiteral(literal))}: ${indicator}`);
    } else {
      add(out, indicator);
    }
  }
}

type Observable =
  | { readonly kind: 'ip'; readonly single: IndicatorType }
  | { readonly kind: 'plain'; readonly type: IndicatorType }
  | { readonly kind: 'asn' }
  | { readonly kind: 'hash'; readonly type: IndicatorType }
  | { readonly kind: 'unsupported'; readonly reason: string };

const VALUE_OBJECTS: Readonly<Record<string, Observable>> = {
  'ipv4-addr': { kind: 'ip', single: 'ipv4' },
  'ipv6-addr': { kind: 'ip', single: 'ipv6' },
  'domain-name': { kind: 'plain', type: 'domain' },
  url: { kind: 'plain', type: 'url' },
  'email-addr': { kind: 'plain', type: 'email' },
};

/** MD5, SHA-1, SHA-256, SHA-512 under any spelling: case, `-` and `_` are ignored. */
const HASH_TYPES: Readonly<Record<string, IndicatorType>> = {
  MD5: 'md5',
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

export function hashTypeOf(key: string): IndicatorType | undefined {
  return HASH_TYPES[key.toUpperCase().replace(/[-_\s]/g, '')];
}

function keysOf(path: ObjectPath): readonly string[] | null {
  const keys: string[] = [];
  for (const step of path.steps) {
    if (step.type !== 'key') {
      return null;
    }
    keys.push(step.key);
  }
  return keys;
}

function observableOf(path: ObjectPath): Observable {
  const unsupported: Observable = {
    kind: 'unsupported',
    reason: `object path ${formatObjectPath(path)} is not an indicator type the hub supports`,
  };
  const keys = keysOf(path);
  if (keys === null) {
    return unsupported;
  }
  const valueObject = VALUE_OBJECTS[path.objectType];
  if (valueObject !== undefined) {
    return keys.length === 1 && keys[0] === 'value' ? valueObject : unsupported;
  }
  if (path.objectType === 'autonomous-system') {
    return keys.length === 1 && keys[0] === 'number' ? { kind: 'asn' } : unsupported;
  }
  if (path.objectType === 'file' && keys.length === 2 && keys[0] === 'hashes') {
    const type = hashTypeOf(keys[1] ?? '');
    return type === undefined
      ? {
          kind: 'unsupported',
          reason: `hash algorithm ${JSON.stringify(keys[1])} is not supported (MD5, SHA-1, SHA-256, SHA-512 are)`,
        }
      : { kind: 'hash', type };
  }
  return unsupported;
}

/** The indicator for one literal, or why that literal cannot be one. */
function toIndicator(
  target: Exclude<Observable, { kind: 'unsupported' }>,
  literal: PrimitiveLiteral,
): PatternIndicator | string {
  if (target.kind === 'asn') {
    if (literal.type === 'int' && literal.value >= 0) {
      return { type: 'asn', value: `AS${literal.text.replace(/^\+/, '')}` };
    }
    return literal.type === 'string'
      ? { type: 'asn', value: literal.value }
      : 'an AS number must be a non-negative integer';
  }
  if (literal.type !== 'string') {
    return `only a string literal names a value here (got ${literal.type})`;
  }
  switch (target.kind) {
    case 'ip':
      return { type: literal.value.includes('/') ? 'cidr' : target.single, value: literal.value };
    case 'plain':
    case 'hash':
      return { type: target.type, value: literal.value };
  }
}
