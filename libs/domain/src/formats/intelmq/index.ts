export {
  importIntelMq,
  INTELMQ_INDICATOR_FIELDS,
  INTELMQ_MAX_EVENTS,
  INTELMQ_MAX_ISSUES,
  INTELMQ_MAX_REFERENCES,
  INTELMQ_MAX_VALUE_LENGTH,
  type ImportIntelMqOptions,
} from './import-intelmq';
export {
  INTELMQ_CLASSIFICATION_TYPES,
  INTELMQ_LEGACY_TAXONOMIES,
  INTELMQ_TYPE_TABLE,
  readIntelMqClassification,
  type ClassificationReading,
  type IntelMqTypeMapping,
} from './intelmq-classification';
