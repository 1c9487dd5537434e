export {
  parseStixPattern,
  formatPattern,
  MAX_PATTERN_NESTING,
  type PatternAst,
  type PatternError,
  type ObservationExpression,
  type ComparisonExpression,
} from './stix-pattern';
export { STIX_PATTERN_GRAMMAR } from './stix-pattern.grammar';
export { patternToIndicators, type PatternIndicator, type PatternIndicators } from './pattern-to-indicators';
export { PREDEFINED_TLP_MARKINGS } from './stix-tlp';
export {
  importStixBundle,
  MAX_STIX_ERRORS,
  MAX_STIX_OBJECTS,
  MAX_STIX_PATTERN_LENGTH,
  MAX_STIX_UNSUPPORTED,
  STIX_2_0_REFUSAL,
} from './import-stix';
