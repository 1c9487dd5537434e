/**
 * The STIX 2.1 patterning language (STIX 2.1 section 9) as a peggy grammar, written from the
 * spec and the structure of the official ANTLR grammar (STIXPattern.g4, oasis-open/cti-stix2-json-schemas).
 * `parseStixPattern` (stix-pattern.ts) generates a parser from it once, lazily, and builds the
 * `PatternAst` types declared there; keep the two in step.
 *
 * Precedence, lowest first: FOLLOWEDBY, observation OR, observation AND, qualifiers (WITHIN, REPEATS,
 * START/STOP, any number, applied left to right); inside `[...]`: comparison OR, comparison AND.
 *
 * Deliberate leniencies over the 2.1 grammar (each one was valid STIX 2.0 or is seen in real feeds):
 * - keywords (AND, OR, NOT, IN, LIKE, ...) and `true` / `false` are matched case-insensitively;
 * - unquoted property names may contain `-` (`file:hashes.SHA-256`), as STIX 2.0 allowed;
 * - START / STOP accept a plain string holding a timestamp as well as `t'...'`;
 * - `b''` (empty binary) is accepted.
 * Whitespace (including the Unicode spaces the official lexer skips) and comments are allowed between tokens.
 */
export const STIX_PATTERN_GRAMMAR = String.raw`
{{
  function group(type, operator, head, tail) {
    return tail.length === 0 ? head : { type, operator, operands: [head, ...tail] };
  }

  function qualify(expression, qualifiers) {
    return qualifiers.reduce((inner, qualifier) => ({ type: 'qualified', qualifier, expression: inner }), expression);
  }

  const ORDERING = ['>', '<', '>=', '<='];
  const STRING_ONLY = ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'];

  function operandProblem(operator, value) {
    if (operator === 'IN') {
      return value.type === 'set' ? null : 'IN needs a set literal such as (\'a\', \'b\')';
    }
    if (value.type === 'set') {
      return operator + ' cannot compare with a set literal; use IN';
    }
    if (STRING_ONLY.includes(operator)) {
      return value.type === 'string' ? null : operator + ' needs a string literal';
    }
    if (ORDERING.includes(operator) && value.type === 'boolean') {
      return operator + ' cannot order a boolean';
    }
    return null;
  }

  const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
}}

Pattern
  = _ @ObservationExpressions _

ObservationExpressions
  = head:ObservationOr tail:(_ FOLLOWEDBY _ @ObservationOr)*
    { return group('observation-group', 'FOLLOWEDBY', head, tail); }

ObservationOr
  = head:ObservationAnd tail:(_ OR _ @ObservationAnd)*
    { return group('observation-group', 'OR', head, tail); }

ObservationAnd
  = head:QualifiedObservation tail:(_ AND _ @QualifiedObservation)*
    { return group('observation-group', 'AND', head, tail); }

QualifiedObservation
  = expression:ObservationPrimary qualifiers:(_ @Qualifier)*
    { return qualify(expression, qualifiers); }

ObservationPrimary
  = "[" _ comparison:ComparisonOr _ "]" { return { type: 'observation', comparison }; }
  / "(" _ @ObservationExpressions _ ")"

Qualifier
  = WITHIN _ seconds:PositiveNumber _ SECONDS { return { type: 'within', seconds }; }
  / REPEATS _ times:PositiveInteger _ TIMES { return { type: 'repeats', times }; }
  / START _ start:QualifierTime _ STOP _ stop:QualifierTime { return { type: 'start-stop', start, stop }; }

QualifierTime
  = time:TimestampLiteral { return time.value; }
  / text:StringLiteral
    {
      if (!TIMESTAMP.test(text.value)) {
        error('START and STOP need a timestamp such as t\'2024-01-31T00:00:00Z\'');
      }
      return text.value;
    }

ComparisonOr
  = head:ComparisonAnd tail:(_ OR _ @ComparisonAnd)*
    { return group('comparison-group', 'OR', head, tail); }

ComparisonAnd
  = head:PropertyTest tail:(_ AND _ @PropertyTest)*
    { return group('comparison-group', 'AND', head, tail); }

PropertyTest
  = "(" _ @ComparisonOr _ ")"
  / EXISTS _ path:ObjectPath { return { type: 'exists', path }; }
  / path:ObjectPath _ negated:(@NOT _)? operator:Operator _ operand:Operand
    {
      const [value, at] = operand;
      const problem = operandProblem(operator, value);
      if (problem !== null) {
        error(problem, at);
      }
      return { type: 'comparison', path, negated: negated !== null, operator, value };
    }

Operand
  = value:(SetLiteral / Literal) { return [value, location()]; }

Operator "comparison operator"
  = ("==" / "=") { return '='; }
  / ("!=" / "<>") { return '!='; }
  / ">="
  / "<="
  / ">"
  / "<"
  / IN { return 'IN'; }
  / LIKE { return 'LIKE'; }
  / MATCHES { return 'MATCHES'; }
  / ISSUBSET { return 'ISSUBSET'; }
  / ISSUPERSET { return 'ISSUPERSET'; }

ObjectPath
  = objectType:ObjectType _ ":" _ first:PathKey steps:(_ @PathStep)*
    { return { objectType, steps: [{ type: 'key', key: first }, ...steps] }; }

PathStep
  = "." _ key:PathKey { return { type: 'key', key }; }
  / "[" _ index:ArrayIndex _ "]" { return { type: 'index', index }; }

ArrayIndex "array index (an integer or *)"
  = value:IntLiteral { return value.value; }
  / "*"

PathKey
  = PropertyName
  / key:StringLiteral { return key.value; }

ObjectType "object type"
  = $([a-zA-Z_] [a-zA-Z0-9_-]*)

PropertyName "property name"
  = $([a-zA-Z_] [a-zA-Z0-9_-]*)

SetLiteral
  = "(" _ values:SetMembers? _ ")" { return { type: 'set', values: values ?? [] }; }

SetMembers
  = head:Literal tail:(_ "," _ @Literal)* { return [head, ...tail]; }

Literal "literal"
  = TimestampLiteral
  / HexLiteral
  / BinaryLiteral
  / FloatLiteral
  / IntLiteral
  / BoolLiteral
  / StringLiteral

TimestampLiteral
  = "t'" value:$(Digit Digit Digit Digit "-" Month "-" Day "T" Hour ":" Minute ":" Second ("." Digit+)? "Z") "'"
    { return { type: 'timestamp', value }; }

Month = "0" [1-9] / "1" [0-2]
Day = "0" [1-9] / [12] Digit / "3" [01]
Hour = [01] Digit / "2" [0-3]
Minute = [0-5] Digit
Second = [0-5] Digit / "60"

HexLiteral
  = "h'" value:$(HexDigit HexDigit)* "'" { return { type: 'hex', value }; }

BinaryLiteral
  = "b'" value:$(Base64Quad* (Base64Char Base64Char Base64Char "=" / Base64Char Base64Char "==")?) "'"
    { return { type: 'binary', value }; }

Base64Quad = Base64Char Base64Char Base64Char Base64Char

FloatLiteral
  = text:$([+-]? Digit* "." Digit+) { return { type: 'float', value: Number(text), text }; }

IntLiteral
  = text:$([+-]? ("0" / [1-9] Digit*)) { return { type: 'int', value: Number(text), text }; }

PositiveNumber "positive number"
  = text:$("+"? (Digit* "." Digit+ / "0" / [1-9] Digit*)) { return Number(text); }

PositiveInteger "positive integer"
  = text:$("+"? ("0" / [1-9] Digit*)) { return Number(text); }

BoolLiteral
  = value:$("true"i / "false"i) !IdentifierChar { return { type: 'boolean', value: value.toLowerCase() === 'true' }; }

StringLiteral
  = "'" chars:StringChar* "'" { return { type: 'string', value: chars.join('') }; }
  / "'" StringChar* at:("\\" { return location(); })
    { error('invalid escape in string literal: only \\\' and \\\\ are allowed', at); }
  / "'" StringChar* !.
    { error('unterminated string literal: the closing quote is missing'); }

StringChar
  = [^'\\]
  / "\\" @("'" / "\\")

Digit "digit"
  = [0-9]

HexDigit "hex digit"
  = [0-9a-fA-F]

Base64Char "base64 character"
  = [A-Za-z0-9+/]

IdentifierChar
  = [a-zA-Z0-9_-]

AND = "AND"i !IdentifierChar
OR = "OR"i !IdentifierChar
NOT = "NOT"i !IdentifierChar
FOLLOWEDBY = "FOLLOWEDBY"i !IdentifierChar
IN = "IN"i !IdentifierChar
LIKE = "LIKE"i !IdentifierChar
MATCHES = "MATCHES"i !IdentifierChar
ISSUBSET = "ISSUBSET"i !IdentifierChar
ISSUPERSET = "ISSUPERSET"i !IdentifierChar
EXISTS = "EXISTS"i !IdentifierChar
WITHIN = "WITHIN"i !IdentifierChar
SECONDS = "SECONDS"i !IdentifierChar
REPEATS = "REPEATS"i !IdentifierChar
TIMES = "TIMES"i !IdentifierChar
START = "START"i !IdentifierChar
STOP = "STOP"i !IdentifierChar

_ "whitespace"
  = (Space / BlockComment / LineComment)*

Space
  = [ \t\r\n\u000B\u000C\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]

BlockComment
  = "/*" (!"*/" .)* "*/"

LineComment
  = "//" [^\r\n]*
`;
