import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import Ajv2020, { type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The official STIX 2.1 JSON Schemas, copied from oasis-open/cti-stix2-json-schemas (see SOURCE.md there). */
export const STIX_SCHEMA_DIR = resolve(__dirname, '../fixtures/stix2-json-schemas/schemas');

/** Every official schema's `$id` is this base + its path under schemas/ (e.g. `common/bundle.json`). */
export const STIX_SCHEMA_ID_BASE =
  'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

/** Object types whose schema is not `sdos|sros|observables/<type>.json`. */
const COMMON_OBJECT_SCHEMAS: Readonly<Record<string, string>> = {
  'marking-definition': 'common/marking-definition.json',
  'language-content': 'common/language-content.json',
  'extension-definition': 'common/extension-definition.json',
};

export interface StixSchemas {
  /** `$id` → local file (relative to STIX_SCHEMA_DIR), one entry per schema file. */
  readonly files: ReadonlyMap<string, string>;
  /** STIX object type → `$id` of the schema that validates it. */
  readonly schemaForType: ReadonlyMap<string, string>;
  /** Problems with the bundle as a whole (common/bundle.json); empty when valid. */
  validateBundle(bundle: unknown): string[];
  /** Problems with one object, checked against its own type's schema; empty when valid. */
  validateObject(object: unknown): string[];
  /** The bundle schema, then every object against its own schema: all problems, each prefixed with where. */
  validateBundleAndObjects(bundle: unknown): string[];
  /** Compiles one more schema beside the official ones (its `$ref`s to them resolve locally too). */
  compile(schema: SchemaObject): (data: unknown) => string[];
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listJson(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
    )
    .sort();
}

export function formatAjvErrors(where: string, errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${where}${e.instancePath || '/'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)} (${e.schemaPath})`,
  );
}

let cached: StixSchemas | undefined;

/**
 * Loads every schema file with node:fs and registers it in Ajv (draft 2020-12) under its own `$id`, after checking
 * that the `$id` is STIX_SCHEMA_ID_BASE + the file's path: relative `$ref`s (`../common/core.json`) then resolve
 * to these local files, and since no `loadSchema` is given Ajv cannot fetch anything (a missing one fails
 * compilation). `strict: false` because the official schemas use `definitions` and annotation keywords Ajv's
 * strict mode rejects; ajv-formats for `format: uri`. Compiled once per process (cached).
 */
export function loadStixSchemas(dir: string = STIX_SCHEMA_DIR): StixSchemas {
  if (cached !== undefined && dir === STIX_SCHEMA_DIR) {
    return cached;
  }
  // unicodeRegExp: false because the official patterns escape '-' outside classes (`\\-?$` in core.json), which
  // a `u`-flag RegExp rejects; they are ASCII-only, so matching by code unit changes nothing.
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  // observables/domain-name.json uses format "idn-hostname", which ajv-formats lacks: the schema then makes no domain
  // check of its own; it is accepted as is rather than left "unknown" (normalization checks domains).
  ajv.addFormat('idn-hostname', true);
  const files = new Map<string, string>();
  const schemaForType = new Map<string, string>();
  for (const file of listJson(dir)) {
    const path = relative(dir, file).split(sep).join('/');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as SchemaObject;
    const expected = `${STIX_SCHEMA_ID_BASE}${path}`;
    if (schema.$id !== expected) {
      throw new Error(`${path}: $id is ${String(schema.$id)}, expected ${expected}`);
    }
    ajv.addSchema(schema);
    files.set(expected, path);
    const [folder, name] = path.split('/');
    if ((folder === 'sdos' || folder === 'sros' || folder === 'observables') && name !== undefined) {
      schemaForType.set(name.replace(/\.json$/, ''), expected);
    }
  }
  for (const [type, path] of Object.entries(COMMON_OBJECT_SCHEMAS)) {
    schemaForType.set(type, `${STIX_SCHEMA_ID_BASE}${path}`);
  }
  const compiled = new Map<string, ValidateFunction>();
  for (const id of files.keys()) {
    const validate = ajv.getSchema(id);
    if (validate === undefined) {
      throw new Error(`schema ${id} did not compile`);
    }
    compiled.set(id, validate);
  }
  const run = (id: string, where: string, data: unknown): string[] => {
    const validate = compiled.get(id);
    if (validate === undefined) {
      return [`${where} no schema ${id}`];
    }
    return validate(data) ? [] : formatAjvErrors(`${where} [${files.get(id)}] `, validate.errors);
  };
  const validateObject = (object: unknown, where = ''): string[] => {
    const type = (object as { type?: unknown } | null)?.type;
    const id = typeof type === 'string' ? schemaForType.get(type) : undefined;
    return id === undefined ? [`${where} no STIX schema for type ${String(type)}`] : run(id, where, object);
  };
  // common/bundle.json predates extension-definition objects: none of its branches admits one (it matches both
  // core.json and cyber-observable-core.json in the custom-object branch's oneOf). The bundle is checked without
  // them; validateBundleAndObjects checks each against common/extension-definition.json.
  const validateBundle = (bundle: unknown): string[] => {
    const b = bundle as { objects?: unknown } | null;
    const checked =
      b !== null && typeof b === 'object' && Array.isArray(b.objects)
        ? {
            ...b,
            objects: (b.objects as unknown[]).filter(
              (o) => (o as { type?: unknown } | null)?.type !== 'extension-definition',
            ),
          }
        : bundle;
    return run(`${STIX_SCHEMA_ID_BASE}common/bundle.json`, 'bundle', checked);
  };
  const result: StixSchemas = {
    files,
    schemaForType,
    validateBundle,
    validateObject: (object) => validateObject(object, 'object'),
    compile: (schema) => {
      const known = typeof schema.$id === 'string' ? ajv.getSchema(schema.$id) : undefined;
      const validate = known ?? ajv.compile(schema);
      return (data) => (validate(data) ? [] : formatAjvErrors(`[${String(schema.$id)}] `, validate.errors));
    },
    validateBundleAndObjects: (bundle) => {
      const objects = (bundle as { objects?: unknown } | null)?.objects;
      const each = Array.isArray(objects)
        ? objects.flatMap((o: unknown, i) => validateObject(o, `objects/${i} (${String((o as { id?: unknown }).id)})`))
        : ['bundle has no objects array'];
      return [...validateBundle(bundle), ...each];
    },
  };
  if (dir === STIX_SCHEMA_DIR) {
    cached = result;
  }
  return result;
}
