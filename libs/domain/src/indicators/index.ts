export { refang, type Refanged } from './refang';
export { inferIndicatorType } from './infer-type';
export { normalizeIndicator, MAX_INDICATOR_LENGTH, type IndicatorNormalization } from './normalize-indicator';
export { normalizeIndicators, type WarningLookup } from './normalize-indicators';
export { isActionable, type ActionableInput } from './actionable';
export {
  previewIndicators,
  type IndicatorsPreview,
  type PreviewBounds,
  type PreviewIndicator,
  type RefusedRecord,
} from './preview-indicators';
