import type { MachineTagTaxonomy } from '../../model/taxonomies';

const entries = (...values: string[]): readonly { readonly value: string }[] => values.map((value) => ({ value }));

/**
 * The RSIT classes and types: the `predicates` and `values` of the MISP `rsit` taxonomy, version 1003
 * (MISP/misp-taxonomies `rsit/machinetag.json`, commit 7591c551cce8, CC0-1.0 or BSD-2-Clause), descriptions left
 * out. The same file is shipped at `libs/alerts/data/taxonomies/rsit/machinetag.json`; a spec checks that
 * this constant matches it. The domain reads no files: a caller holding newer data passes its own vocabulary
 * (`compileRsit(data)`) to `importIntelMq`.
 */
export const RSIT_MACHINETAG: MachineTagTaxonomy = {
  namespace: 'rsit',
  predicates: [
    { value: 'abusive-content', expanded: 'Abusive Content' },
    { value: 'malicious-code', expanded: 'Malicious Code' },
    { value: 'information-gathering', expanded: 'Information Gathering' },
    { value: 'intrusion-attempts', expanded: 'Intrusion Attempts' },
    { value: 'intrusions', expanded: 'Intrusions' },
    { value: 'availability', expanded: 'Availability' },
    { value: 'information-content-security', expanded: 'Information Content Security' },
    { value: 'fraud', expanded: 'Fraud' },
    { value: 'vulnerable', expanded: 'Vulnerable' },
    { value: 'other', expanded: 'Other' },
    { value: 'test', expanded: 'Test' },
  ],
  values: [
    { predicate: 'abusive-content', entry: entries('spam', 'harmful-speech', 'violence') },
    {
      predicate: 'malicious-code',
      entry: entries('infected-system', 'c2-server', 'malware-distribution', 'malware-configuration'),
    },
    { predicate: 'information-gathering', entry: entries('scanner', 'sniffing', 'social-engineering') },
    { predicate: 'intrusion-attempts', entry: entries('ids-alert', 'brute-force', 'exploit') },
    {
      predicate: 'intrusions',
      entry: entries(
        'privileged-account-compromise',
        'unprivileged-account-compromise',
        'application-compromise',
        'system-compromise',
        'burglary',
      ),
    },
    { predicate: 'availability', entry: entries('dos', 'ddos', 'misconfiguration', 'sabotage', 'outage') },
    {
      predicate: 'information-content-security',
      entry: entries(
        'unauthorised-information-access',
        'unauthorised-information-modification',
        'data-loss',
        'data-leak',
      ),
    },
    { predicate: 'fraud', entry: entries('unauthorised-use-of-resources', 'copyright', 'masquerade', 'phishing') },
    {
      predicate: 'vulnerable',
      entry: entries(
        'weak-crypto',
        'ddos-amplifier',
        'potentially-unwanted-accessible',
        'information-disclosure',
        'vulnerable-system',
      ),
    },
    { predicate: 'other', entry: entries('other', 'undetermined') },
    { predicate: 'test', entry: entries('test') },
  ],
};
