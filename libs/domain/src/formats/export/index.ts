export type { ExportableAlert, ExportableOrg } from './export-types';
export { exportStixBundle, escapeStixString, stixPattern, type StixBundle, type StixObject } from './export-stix';
export {
  exportMispEvent,
  mispTlpTag,
  MISP_ATTRIBUTE_TYPES,
  MISP_EVENT_DISTRIBUTION,
  type MispAttribute,
  type MispEvent,
  type MispEventExport,
  type MispTag,
} from './export-misp';
export { rsitTag } from './exportable-indicators';
export {
  tlp2MarkingDefinition,
  tlp2MarkingId,
  TLP2_EXTENSION_DEFINITION_ID,
  type Tlp2MarkingDefinition,
} from './stix-tlp-markings';
export { TOCSIN_EXPORT_NAMESPACE, uuidV5 } from './uuid-v5';
