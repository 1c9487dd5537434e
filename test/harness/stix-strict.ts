import { createHash } from 'node:crypto';

/**
 * The SHOULD (and a few MUST) rules of STIX 2.1 that the OASIS stix2-validator checks beyond the JSON schemas, and
 * turns into errors in `--strict` mode (stix2validator/v21/shoulds.py and enums.py), written again as plain checks
 * over the kinds of objects Tocsin exports:
 * - uuid-check: SDO, SRO, meta object and bundle ids UUIDv4; SCO ids UUIDv5 — here the very id §2.9 defines
 *   (STIX namespace, canonical JSON of the ID contributing properties), recomputed independently;
 * - indicator-properties: an indicator has both `name` and `description`;
 * - extref-hashes: an external reference with a `url` has `hashes`;
 * - custom-prefix / properties-strict: only the properties the specification defines (extensions go in `extensions`);
 *   an SCO extension key is a predefined one or an `extension-definition--` id;
 * - vocabularies: indicator_types (indicator-type-ov), report_types (report-type-ov), identity_class
 *   (identity-class-ov), pattern_type (indicator-pattern-ov), file hash names (hash-algorithm-ov);
 * - timestamps: created / modified (MUST) and the other timestamps at millisecond precision, UTC; modified ≥ created;
 * - references: every `*_ref` / `*_refs` resolves within the bundle, markings to marking-definitions, no duplicate
 *   ids; every extension-definition an object uses is in the bundle (the published TLP 2.0 one aside).
 */

export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** The official TLP 2.0 extension, published by OASIS; its definition need not travel in every bundle. */
const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const SCO_TYPES = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

const SDO_COMMON = [
  'type',
  'spec_version',
  'id',
  'created_by_ref',
  'created',
  'modified',
  'revoked',
  'labels',
  'confidence',
  'lang',
  'external_references',
  'object_marking_refs',
  'granular_markings',
  'extensions',
];
const SCO_COMMON = ['type', 'spec_version', 'id', 'object_marking_refs', 'granular_markings', 'defanged', 'extensions'];

const PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  identity: [...SDO_COMMON, 'name', 'description', 'roles', 'identity_class', 'sectors', 'contact_information'],
  indicator: [
    ...SDO_COMMON,
    'name',
    'description',
    'indicator_types',
    'pattern',
    'pattern_type',
    'pattern_version',
    'valid_from',
    'valid_until',
    'kill_chain_phases',
  ],
  report: [...SDO_COMMON, 'name', 'description', 'report_types', 'published', 'object_refs'],
  vulnerability: [...SDO_COMMON, 'name', 'description'],
  'observed-data': [...SDO_COMMON, 'first_observed', 'last_observed', 'number_observed', 'objects', 'object_refs'],
  'marking-definition': [
    'type',
    'spec_version',
    'id',
    'created_by_ref',
    'created',
    'external_references',
    'object_marking_refs',
    'granular_markings',
    'extensions',
    'name',
    'definition_type',
    'definition',
  ],
  'extension-definition': [
    'type',
    'spec_version',
    'id',
    'created_by_ref',
    'created',
    'modified',
    'revoked',
    'labels',
    'external_references',
    'object_marking_refs',
    'granular_markings',
    'name',
    'description',
    'schema',
    'version',
    'extension_types',
    'extension_properties',
  ],
  'ipv4-addr': [...SCO_COMMON, 'value', 'resolves_to_refs', 'belongs_to_refs'],
  'ipv6-addr': [...SCO_COMMON, 'value', 'resolves_to_refs', 'belongs_to_refs'],
  'domain-name': [...SCO_COMMON, 'value', 'resolves_to_refs'],
  url: [...SCO_COMMON, 'value'],
  'email-addr': [...SCO_COMMON, 'value', 'display_name', 'belongs_to_ref'],
  'autonomous-system': [...SCO_COMMON, 'number', 'name', 'rir'],
  file: [
    ...SCO_COMMON,
    'hashes',
    'size',
    'name',
    'name_enc',
    'magic_number_hex',
    'mime_type',
    'ctime',
    'mtime',
    'atime',
    'parent_directory_ref',
    'contains_refs',
    'content_ref',
  ],
};

/** The ID contributing properties of the SCO types (STIX 2.1 §6), for the ones Tocsin exports. */
const ID_CONTRIBUTING: Readonly<Record<string, readonly string[]>> = {
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'domain-name': ['value'],
  url: ['value'],
  'email-addr': ['value'],
  'autonomous-system': ['number'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
};

export const VOCABULARIES = {
  'indicator-type-ov': [
    'anomalous-activity',
    'anonymization',
    'benign',
    'compromised',
    'malicious-activity',
    'attribution',
    'unknown',
  ],
  'report-type-ov': [
    'attack-pattern',
    'campaign',
    'identity',
    'indicator',
    'intrusion-set',
    'malware',
    'observed-data',
    'threat-actor',
    'threat-report',
    'tool',
    'vulnerability',
  ],
  'identity-class-ov': ['individual', 'group', 'system', 'organization', 'class', 'unknown'],
  'indicator-pattern-ov': ['stix', 'pcre', 'sigma', 'snort', 'suricata', 'yara'],
  'hash-algorithm-ov': ['MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512', 'SSDEEP', 'TLSH'],
} as const;

const VOCAB_USES: readonly [type: string, property: string, vocabulary: keyof typeof VOCABULARIES][] = [
  ['indicator', 'indicator_types', 'indicator-type-ov'],
  ['report', 'report_types', 'report-type-ov'],
  ['identity', 'identity_class', 'identity-class-ov'],
  ['indicator', 'pattern_type', 'indicator-pattern-ov'],
];

const TIMESTAMP_PROPERTIES = [
  'created',
  'modified',
  'valid_from',
  'valid_until',
  'published',
  'first_observed',
  'last_observed',
];
const MILLIS_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

type Obj = Record<string, unknown>;

function uuidV5(name: string, namespace: string): string {
  const h = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** RFC 8785 for what SCO ids hold: objects with sorted keys, strings, integers. */
function jcs(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map(jcs).join(',')}]`;
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs((v as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The id STIX 2.1 §2.9 gives an SCO (one hash chosen: MD5, then SHA-1, SHA-256, SHA-512). */
export function expectedScoId(o: Obj): string | null {
  const props = ID_CONTRIBUTING[o.type as string];
  if (props === undefined) {
    return null;
  }
  const contributing: Obj = {};
  for (const p of props) {
    if (o[p] === undefined) {
      continue;
    }
    if (p === 'hashes') {
      const hashes = o.hashes as Obj;
      const chosen = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'].find((n) => hashes[n] !== undefined);
      contributing.hashes = chosen === undefined ? hashes : { [chosen]: hashes[chosen] };
    } else {
      contributing[p] = o[p];
    }
  }
  return `${o.type as string}--${uuidV5(jcs(contributing), STIX_SCO_NAMESPACE)}`;
}

function refsOf(o: Obj): [property: string, ref: string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k.endsWith('_ref') && typeof v === 'string') {
      out.push([k, v]);
    } else if (k.endsWith('_refs') && Array.isArray(v)) {
      for (const r of v) {
        out.push([k, String(r)]);
      }
    }
  }
  for (const g of Array.isArray(o.granular_markings) ? (o.granular_markings as Obj[]) : []) {
    if (typeof g.marking_ref === 'string') {
      out.push(['granular_markings.marking_ref', g.marking_ref]);
    }
  }
  return out;
}

/** Every strict-mode problem of a bundle, each naming the object id and the rule; empty when it passes. */
export function strictStixProblems(bundle: unknown): string[] {
  const problems: string[] = [];
  const b = bundle as Obj;
  const objects = Array.isArray(b?.objects) ? (b.objects as Obj[]) : [];
  const say = (id: unknown, rule: string, detail: string) => problems.push(`${String(id)} [${rule}] ${detail}`);
  const version = (id: unknown): string | null => {
    const uuid = typeof id === 'string' ? id.split('--')[1] : undefined;
    const m = uuid === undefined ? null : UUID.exec(uuid);
    return m === null ? null : `${m[1]}${/[89ab]/.test(m[2] ?? '') ? '' : '!variant'}`;
  };
  if (version(b?.id) !== '4') {
    say(b?.id, 'uuid-check', 'a bundle id SHOULD be a UUIDv4');
  }
  const byId = new Map<string, Obj>();
  for (const o of objects) {
    if (byId.has(o.id as string)) {
      say(o.id, 'duplicate-ids', 'the same id twice in one bundle');
    }
    byId.set(o.id as string, o);
  }
  for (const o of objects) {
    const type = o.type as string;
    const sco = SCO_TYPES.has(type);
    // uuid-check
    if (sco) {
      const expected = expectedScoId(o);
      if (version(o.id) !== '5') {
        say(o.id, 'uuid-check', 'an SCO id SHOULD be a UUIDv5');
      } else if (expected !== null && expected !== o.id) {
        say(o.id, 'uuid-check', `not the §2.9 id of its contributing properties (${expected})`);
      }
    } else if (version(o.id) !== '4') {
      say(o.id, 'uuid-check', 'an SDO, SRO or meta object id SHOULD be a UUIDv4');
    }
    // properties-strict / custom-prefix
    const known = PROPERTIES[type];
    if (known === undefined) {
      say(o.id, 'types-strict', `Tocsin's strict checks do not know type ${type}`);
    } else {
      for (const k of Object.keys(o)) {
        if (!known.includes(k)) {
          say(o.id, 'custom-prefix', `property ${k} is not defined by the specification`);
        }
      }
    }
    // extensions
    const extensions = (o.extensions ?? {}) as Obj;
    for (const key of Object.keys(extensions)) {
      if (!key.startsWith('extension-definition--')) {
        say(o.id, 'custom-prefix', `extension ${key} is not an extension-definition id`);
      } else if (key !== TLP2_EXTENSION && byId.get(key)?.type !== 'extension-definition') {
        say(o.id, 'extension-definition', `extension ${key} has no extension-definition in the bundle`);
      }
      const ext = extensions[key] as Obj;
      if (key.startsWith('extension-definition--') && typeof ext?.extension_type !== 'string') {
        say(o.id, 'extension-definition', `extension ${key} has no extension_type`);
      }
    }
    // indicator-properties
    if (type === 'indicator' && (typeof o.name !== 'string' || typeof o.description !== 'string')) {
      say(o.id, 'indicator-properties', 'both name and description SHOULD be present');
    }
    // extref-hashes
    for (const r of Array.isArray(o.external_references) ? (o.external_references as Obj[]) : []) {
      if (r.url !== undefined && r.hashes === undefined) {
        say(o.id, 'extref-hashes', `external reference ${String(r.source_name)} has a URL but no hash`);
      }
    }
    // vocabularies
    for (const [t, prop, vocab] of VOCAB_USES) {
      if (type !== t || o[prop] === undefined) {
        continue;
      }
      const values = Array.isArray(o[prop]) ? (o[prop] as unknown[]) : [o[prop]];
      for (const v of values) {
        if (!(VOCABULARIES[vocab] as readonly unknown[]).includes(v)) {
          say(o.id, vocab, `${prop} value ${JSON.stringify(v)} is not in ${vocab}`);
        }
      }
    }
    if (type === 'file' && o.hashes !== undefined) {
      for (const h of Object.keys(o.hashes as Obj)) {
        if (!(VOCABULARIES['hash-algorithm-ov'] as readonly string[]).includes(h)) {
          say(o.id, 'hash-algo', `hash ${h} is not in hash-algorithm-ov`);
        }
      }
    }
    // timestamps
    for (const p of TIMESTAMP_PROPERTIES) {
      if (o[p] !== undefined && !(typeof o[p] === 'string' && MILLIS_UTC.test(o[p]))) {
        say(o.id, 'timestamp', `${p} ${JSON.stringify(o[p])} is not a UTC timestamp with milliseconds`);
      }
    }
    if (typeof o.created === 'string' && typeof o.modified === 'string' && o.modified < o.created) {
      say(o.id, 'modified-created', 'modified is before created');
    }
    // references
    for (const [prop, ref] of refsOf(o)) {
      const target = byId.get(ref);
      if (target === undefined) {
        say(o.id, 'refs', `${prop} ${ref} does not resolve within the bundle`);
      } else if (prop.includes('marking') && target.type !== 'marking-definition') {
        say(o.id, 'refs', `${prop} ${ref} is not a marking-definition`);
      } else if (prop === 'created_by_ref' && target.type !== 'identity') {
        say(o.id, 'refs', `created_by_ref ${ref} is not an identity`);
      }
    }
  }
  return problems;
}
