import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRsit, type MachineTagTaxonomy } from '../../model/taxonomies';
import {
  INTELMQ_CLASSIFICATION_TYPES,
  INTELMQ_TYPE_TABLE,
  readIntelMqClassification,
  type ClassificationReading,
} from './intelmq-classification';

const RSIT_FILE = resolve(__dirname, '../../../../alerts/data/taxonomies/rsit/machinetag.json');
const rsit = compileRsit(JSON.parse(readFileSync(RSIT_FILE, 'utf8')) as MachineTagTaxonomy);

describe('INTELMQ_TYPE_TABLE', () => {
  it.each([...INTELMQ_TYPE_TABLE])('maps %j to a pair the RSIT data holds', (name, mapping) => {
    expect(rsit.check(mapping)).toBeNull();
    expect(rsit.taxonomyOf(name)).toBeNull();
    expect(readIntelMqClassification(undefined, name, rsit)).toEqual({
      classification: { taxonomy: mapping.taxonomy, type: mapping.type },
    });
    expect(readIntelMqClassification(undefined, name.toUpperCase(), rsit)).toEqual({
      classification: { taxonomy: mapping.taxonomy, type: mapping.type },
    });
  });

  it.each(INTELMQ_CLASSIFICATION_TYPES)('classifies IntelMQ type %j as an RSIT pair, with no problem', (type) => {
    const reading = readIntelMqClassification(undefined, type, rsit);
    expect(reading).toEqual({ classification: expect.objectContaining({}) });
    expect(reading && 'classification' in reading ? rsit.check(reading.classification) : 'no classification').toBe(
      null,
    );
  });

  it('keeps an RSIT type as it is and lists only the other names', () => {
    for (const type of INTELMQ_CLASSIFICATION_TYPES) {
      const mapped = INTELMQ_TYPE_TABLE.get(type);
      const reading = readIntelMqClassification(undefined, type, rsit);
      const expected = mapped
        ? { taxonomy: mapped.taxonomy, type: mapped.type }
        : { taxonomy: rsit.taxonomyOf(type), type };
      expect(reading).toEqual({ classification: expected });
    }
  });
});

describe(readIntelMqClassification.name, () => {
  it.each<[string | undefined, string, string, string]>([
    ['malicious-code', 'c2-server', 'malicious-code', 'c2-server'],
    [undefined, 'c2-server', 'malicious-code', 'c2-server'],
    ['', 'phishing', 'fraud', 'phishing'],
    [undefined, 'spam', 'abusive-content', 'spam'],
    [undefined, 'scanner', 'information-gathering', 'scanner'],
    [undefined, 'brute-force', 'intrusion-attempts', 'brute-force'],
    [undefined, 'system-compromise', 'intrusions', 'system-compromise'],
    [undefined, 'ddos', 'availability', 'ddos'],
    [undefined, 'data-leak', 'information-content-security', 'data-leak'],
    [undefined, 'vulnerable-system', 'vulnerable', 'vulnerable-system'],
    [undefined, 'undetermined', 'other', 'undetermined'],
    [undefined, 'test', 'test', 'test'],
    [undefined, ' Phishing ', 'fraud', 'phishing'],
    // legacy names
    ['malicious code', 'c2server', 'malicious-code', 'c2-server'],
    [undefined, 'c&c', 'malicious-code', 'c2-server'],
    ['malicious code', 'botnet drone', 'malicious-code', 'infected-system'],
    [undefined, 'infected system', 'malicious-code', 'infected-system'],
    [undefined, 'ransomware', 'malicious-code', 'infected-system'],
    [undefined, 'malware configuration', 'malicious-code', 'malware-configuration'],
    ['intrusion attempts', 'ids alert', 'intrusion-attempts', 'ids-alert'],
    [undefined, 'leak', 'information-content-security', 'data-leak'],
    [undefined, 'Unauthorised-information-access', 'information-content-security', 'unauthorised-information-access'],
    [undefined, 'vulnerable client', 'vulnerable', 'vulnerable-system'],
    [undefined, 'vulnerable service', 'vulnerable', 'vulnerable-system'],
    [undefined, 'unknown', 'other', 'undetermined'],
    ['abusive content', 'spam', 'abusive-content', 'spam'],
    ['information gathering', 'scanner', 'information-gathering', 'scanner'],
    // IntelMQ's spelling and its own types
    ['fraud', 'unauthorized-use-of-resources', 'fraud', 'unauthorised-use-of-resources'],
    [undefined, 'blacklist', 'other', 'other'],
    ['other', 'Blacklist', 'other', 'other'],
    [undefined, 'dga-domain', 'other', 'other'],
    [undefined, 'dga domain', 'other', 'other'],
    ['other', 'malware', 'other', 'other'],
    ['malicious code', 'malware', 'other', 'other'],
    [undefined, 'proxy', 'other', 'other'],
    [undefined, 'tor', 'other', 'other'],
    ['intrusions', 'defacement', 'information-content-security', 'unauthorised-information-modification'],
    ['intrusions', 'compromised', 'intrusions', 'system-compromise'],
    ['intrusions', 'backdoor', 'intrusions', 'system-compromise'],
    ['information content security', 'dropzone', 'other', 'other'],
    [undefined, 'other', 'other', 'other'],
  ])('reads taxonomy %j, type %j as %s/%s', (taxonomy, type, expectedTaxonomy, expectedType) => {
    expect(readIntelMqClassification(taxonomy, type, rsit)).toEqual({
      classification: { taxonomy: expectedTaxonomy, type: expectedType },
    });
  });

  it.each<[string | undefined, string | undefined, ClassificationReading | undefined]>([
    [undefined, undefined, undefined],
    ['', ' ', undefined],
    [
      'fraud',
      'c2-server',
      {
        classification: { taxonomy: 'malicious-code', type: 'c2-server' },
        note: 'classification.taxonomy "fraud" does not hold type "c2-server": RSIT files it under "malicious-code", which is kept',
      },
    ],
    [
      undefined,
      'botnet',
      {
        problem:
          'classification.type "botnet" is not an RSIT or IntelMQ classification type; the event is left unclassified',
      },
    ],
    [
      undefined,
      '__proto__',
      {
        problem:
          'classification.type "__proto__" is not an RSIT or IntelMQ classification type; the event is left unclassified',
      },
    ],
    ['fraud', undefined, { problem: 'classification.taxonomy "fraud" comes without classification.type; ignored' }],
  ])('reads taxonomy %j, type %j with a note or a problem', (taxonomy, type, reading) => {
    expect(readIntelMqClassification(taxonomy, type, rsit)).toEqual(reading);
  });

  it('uses the vocabulary it is given', () => {
    const custom = compileRsit({
      namespace: 'rsit',
      predicates: [{ value: 'malicious-code' }, { value: 'other' }],
      values: [
        { predicate: 'malicious-code', entry: [{ value: 'c2-server' }, { value: 'botnet-panel' }] },
        { predicate: 'other', entry: [{ value: 'other' }] },
      ],
    });
    expect(readIntelMqClassification(undefined, 'botnet-panel', custom)).toEqual({
      classification: { taxonomy: 'malicious-code', type: 'botnet-panel' },
    });
    expect(readIntelMqClassification(undefined, 'phishing', custom)).toEqual({
      problem:
        'classification.type "phishing" is not an RSIT or IntelMQ classification type; the event is left unclassified',
    });
  });
});
