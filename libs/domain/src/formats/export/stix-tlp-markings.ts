import type { TlpLabel } from '../../alerts/tlp';

/** The TLP 2.0 STIX extension (oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0). */
export const TLP2_EXTENSION_DEFINITION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

type Tlp2Value = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

/** A TLP 2.0 marking-definition object, exactly as the official one is published (a type: a StixObject too). */
export type Tlp2MarkingDefinition = {
  readonly type: 'marking-definition';
  readonly spec_version: '2.1';
  readonly id: string;
  readonly created: string;
  readonly name: string;
  readonly extensions: {
    readonly [TLP2_EXTENSION_DEFINITION_ID]: {
      readonly extension_type: 'property-extension';
      readonly tlp_2_0: Tlp2Value;
    };
  };
};

const OFFICIAL: Readonly<Record<TlpLabel, { readonly id: string; readonly name: string; readonly tlp: Tlp2Value }>> = {
  CLEAR: { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', name: 'TLP:CLEAR', tlp: 'clear' },
  GREEN: { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', name: 'TLP:GREEN', tlp: 'green' },
  AMBER: { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', name: 'TLP:AMBER', tlp: 'amber' },
  'AMBER+STRICT': {
    id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
    name: 'TLP:AMBER+STRICT',
    tlp: 'amber+strict',
  },
  RED: { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', name: 'TLP:RED', tlp: 'red' },
};

/** The official TLP 2.0 marking-definition id for a label. */
export function tlp2MarkingId(label: TlpLabel): string {
  return OFFICIAL[label].id;
}

/**
 * The official TLP 2.0 marking-definition for a label (content of oasis-open/cti-stix-common-objects, all five
 * created 2022-10-01, no created_by_ref, the level in the TLP 2.0 property extension). A fresh object per call.
 */
export function tlp2MarkingDefinition(label: TlpLabel): Tlp2MarkingDefinition {
  const o = OFFICIAL[label];
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: o.id,
    created: '2022-10-01T00:00:00.000Z',
    name: o.name,
    extensions: { [TLP2_EXTENSION_DEFINITION_ID]: { extension_type: 'property-extension', tlp_2_0: o.tlp } },
  };
}
