export {
  importMispEvent,
  MISP_MAX_ATTRIBUTES,
  MISP_MAX_ISSUES,
  MISP_MAX_UNSUPPORTED,
  MISP_MAX_VALUE_LENGTH,
  MISP_SUPPORTED_TYPES,
} from './import-misp';
export { rebaseMispIssue, splitMispEvents, type MispEventPart } from './split-misp-events';
