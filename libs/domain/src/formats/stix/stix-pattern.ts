import { generate, type Parser, type parser as peggyParser } from 'peggy';
import { err, ok, type Result } from '../../shared/result';
import { STIX_PATTERN_GRAMMAR } from './stix-pattern.grammar';

/** The syntax tree of a STIX 2.1 pattern (STIX 2.1 section 9), as built by the actions of STIX_PATTERN_GRAMMAR. */
export type PatternAst = ObservationExpression;

export type ObservationExpression = Observation | ObservationGroup | QualifiedObservation;

/** `[ comparison ]`: one observation. */
export interface Observation {
  readonly type: 'observation';
  readonly comparison: ComparisonExpression;
}

/** Two or more observation expressions joined by one operator, in source order (`a OR b OR c` is one group). */
export interface ObservationGroup {
  readonly type: 'observation-group';
  readonly operator: 'AND' | 'OR' | 'FOLLOWEDBY';
  readonly operands: readonly ObservationExpression[];
}

/** An observation expression followed by a qualifier; several qualifiers nest, the first one innermost. */
export interface QualifiedObservation {
  readonly type: 'qualified';
  readonly qualifier: Qualifier;
  readonly expression: ObservationExpression;
}

export type Qualifier =
  | { readonly type: 'within'; readonly seconds: number }
  | { readonly type: 'repeats'; readonly times: number }
  | { readonly type: 'start-stop'; readonly start: string; readonly stop: string };

export type ComparisonExpression = Comparison | ExistsTest | ComparisonGroup;

export const COMPARISON_OPERATORS = [
  '=',
  '!=',
  '>',
  '<',
  '>=',
  '<=',
  'IN',
  'LIKE',
  'MATCHES',
  'ISSUBSET',
  'ISSUPERSET',
] as const;
/** `==` is read as `=` and `<>` as `!=`. */
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** `path [NOT] operator value`. The grammar guarantees IN has a set and LIKE/MATCHES/ISSUBSET/ISSUPERSET a string. */
export interface Comparison {
  readonly type: 'comparison';
  readonly path: ObjectPath;
  readonly negated: boolean;
  readonly operator: ComparisonOperator;
  readonly value: Literal;
}

/** `EXISTS path` (STIX 2.1). */
export interface ExistsTest {
  readonly type: 'exists';
  readonly path: ObjectPath;
}

export interface ComparisonGroup {
  readonly type: 'comparison-group';
  readonly operator: 'AND' | 'OR';
  readonly operands: readonly ComparisonExpression[];
}

/** `file:hashes.'SHA-256'` → objectType `file`, steps [key hashes, key SHA-256]; steps[0] is always a key. */
export interface ObjectPath {
  readonly objectType: string;
  readonly steps: readonly PathStep[];
}

export type PathStep =
  { readonly type: 'key'; readonly key: string } | { readonly type: 'index'; readonly index: number | '*' };

export type PrimitiveLiteral =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: number; readonly text: string }
  | { readonly type: 'float'; readonly value: number; readonly text: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'timestamp'; readonly value: string }
  | { readonly type: 'hex'; readonly value: string }
  | { readonly type: 'binary'; readonly value: string };

export type Literal = PrimitiveLiteral | { readonly type: 'set'; readonly values: readonly PrimitiveLiteral[] };

/** Where a pattern stops making sense: a 0-based character offset into the pattern and why. */
export interface PatternError {
  readonly offset: number;
  readonly message: string;
}

/**
 * Deeper bracket nesting than this is refused before parsing: the generated parser is recursive, and
 * no real pattern nests anywhere near it.
 */
export const MAX_PATTERN_NESTING = 100;

let cachedParser: Parser | undefined;

/** The peggy parser, generated from the grammar on first use and kept for the life of the process. */
function stixPatternParser(): Parser {
  cachedParser ??= generate(STIX_PATTERN_GRAMMAR, { output: 'parser' });
  return cachedParser;
}

/** Parses a STIX 2.1 pattern. Never throws on bad input: a syntax error comes back with its offset. */
export function parseStixPattern(pattern: string): Result<PatternAst, PatternError> {
  const tooDeep = nestingTooDeep(pattern);
  if (tooDeep !== null) {
    return err(tooDeep);
  }
  const parser = stixPatternParser();
  try {
    const ast: unknown = parser.parse(pattern);
    return ok(ast as PatternAst);
  } catch (e) {
    if (e instanceof parser.SyntaxError) {
      return err({ offset: e.location.start.offset, message: describeSyntaxError(e) });
    }
    throw e;
  }
}

/** The first bracket that goes past MAX_PATTERN_NESTING, outside string literals; null if none does. */
function nestingTooDeep(pattern: string): PatternError | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (inString) {
      if (c === '\\') {
        i++;
      } else if (c === "'") {
        inString = false;
      }
    } else if (c === "'") {
      inString = true;
    } else if (c === '(' || c === '[') {
      depth++;
      if (depth > MAX_PATTERN_NESTING) {
        return { offset: i, message: `brackets nest deeper than ${MAX_PATTERN_NESTING} levels` };
      }
    } else if (c === ')' || c === ']') {
      depth = Math.max(0, depth - 1);
    }
  }
  return null;
}

/** `expected "]", "AND" or "OR" but found "x"`; a message raised by the grammar itself is kept as is. */
function describeSyntaxError(e: peggyParser.SyntaxError): string {
  if (e.expected === null) {
    return e.message;
  }
  const expected = [...new Set(e.expected.map(describeExpectation))].sort();
  const found = e.found === null ? 'end of input' : JSON.stringify(e.found);
  return `expected ${joinAlternatives(expected)} but found ${found}`;
}

function describeExpectation(expectation: peggyParser.Expectation): string {
  switch (expectation.type) {
    case 'literal':
      return JSON.stringify(expectation.ignoreCase ? expectation.text.toUpperCase() : expectation.text);
    case 'class':
      return 'a character';
    case 'any':
      return 'any character';
    case 'end':
      return 'end of input';
    case 'other':
      return expectation.description;
  }
}

function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 1) {
    return items[0] ?? 'nothing';
  }
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/* ---------------------------------------------------------------- formatting (for messages) */

const PLAIN_KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `file:hashes.'SHA-256'`: keys that are not plain identifiers are quoted. */
export function formatObjectPath(path: ObjectPath): string {
  return path.steps.reduce((text, step, i) => {
    if (step.type === 'index') {
      return `${text}[${step.index}]`;
    }
    const key = PLAIN_KEY.test(step.key) ? step.key : quote(step.key);
    return i === 0 ? `${text}${key}` : `${text}.${key}`;
  }, `${path.objectType}:`);
}

export function formatLiteral(literal: Literal): string {
  switch (literal.type) {
    case 'string':
      return quote(literal.value);
    case 'int':
    case 'float':
      return literal.text;
    case 'boolean':
      return String(literal.value);
    case 'timestamp':
      return `t'${literal.value}'`;
    case 'hex':
      return `h'${literal.value}'`;
    case 'binary':
      return `b'${literal.value}'`;
    case 'set':
      return `(${literal.values.map(formatLiteral).join(', ')})`;
  }
}

export function formatQualifier(qualifier: Qualifier): string {
  switch (qualifier.type) {
    case 'within':
      return `WITHIN ${qualifier.seconds} SECONDS`;
    case 'repeats':
      return `REPEATS ${qualifier.times} TIMES`;
    case 'start-stop':
      return `START t'${qualifier.start}' STOP t'${qualifier.stop}'`;
  }
}

export function formatComparison(expression: ComparisonExpression): string {
  switch (expression.type) {
    case 'comparison': {
      const not = expression.negated ? 'NOT ' : '';
      return `${formatObjectPath(expression.path)} ${not}${expression.operator} ${formatLiteral(expression.value)}`;
    }
    case 'exists':
      return `EXISTS ${formatObjectPath(expression.path)}`;
    case 'comparison-group':
      return expression.operands
        .map((operand) =>
          operand.type === 'comparison-group' ? `(${formatComparison(operand)})` : formatComparison(operand),
        )
        .join(` ${expression.operator} `);
  }
}

/** The pattern written back in canonical spacing (not byte-identical to the input). */
export function formatPattern(expression: ObservationExpression): string {
  switch (expression.type) {
    case 'observation':
      return `[${formatComparison(expression.comparison)}]`;
    case 'qualified':
      return `${wrapObservation(expression.expression)} ${formatQualifier(expression.qualifier)}`;
    case 'observation-group':
      return expression.operands.map(wrapObservation).join(` ${expression.operator} `);
  }
}

function wrapObservation(expression: ObservationExpression): string {
  return expression.type === 'observation-group' ? `(${formatPattern(expression)})` : formatPattern(expression);
}
