export type { ExportableAlert, ExportableOrg } from './export-types';
export { exportStixBundle, escapeStixString, stixPattern, type StixBundle, type StixObject } from './export-stix';
export {
  exportMispEvent,
  mispSeverityTag,
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
export { hashedUuidV4, STIX_SCO_NAMESPACE, stixScoId, TOCSIN_EXPORT_NAMESPACE, uuidV5 } from './uuid-v5';
export {
  readTocsinStixProperties,
  TOCSIN_STIX_EXTENSION,
  TOCSIN_STIX_EXTENSION_ID,
  TOCSIN_STIX_IDENTITY,
  TOCSIN_STIX_IDENTITY_ID,
  type TocsinStixProperties,
} from './tocsin-stix-extension';
