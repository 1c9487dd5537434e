import type { TlpLabel } from '../../alerts/tlp';

/**
 * The predefined TLP marking-definitions a STIX 2.1 producer may reference without shipping them.
 *
 * TLP 1.0: STIX 2.1 (OASIS Standard) section 7.2.1.4, as published in oasis-open/cti-python-stix2
 * stix2/v21/common.py (TLP_WHITE, TLP_GREEN, TLP_AMBER, TLP_RED). TLP:WHITE maps to TLP 2.0 CLEAR.
 * TLP 2.0: oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0 (the five
 * marking-definitions in test/fixtures/stix/tlp2/, pinned by tlp2-extension.schema.json).
 */
export const PREDEFINED_TLP_MARKINGS: Readonly<Record<string, TlpLabel>> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR', // TLP 1.0 WHITE
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN', // TLP 1.0 GREEN
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER', // TLP 1.0 AMBER
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED', // TLP 1.0 RED
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487': 'CLEAR', // TLP 2.0 CLEAR
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb': 'GREEN', // TLP 2.0 GREEN
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421': 'AMBER', // TLP 2.0 AMBER
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'AMBER+STRICT', // TLP 2.0 AMBER+STRICT
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1': 'RED', // TLP 2.0 RED
};

/** The TLP 2.0 property-extension of a marking-definition (`extensions[<this>].tlp_2_0`). */
export const TLP_2_0_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
