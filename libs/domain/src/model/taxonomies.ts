import type { Classification } from './canonical';
import type { TlpLabel } from '../alerts/tlp';

/** The MISP machine-tag taxonomy format (misp-taxonomies `machinetag.json`), as far as Tocsin reads it. */
export interface MachineTagTaxonomy {
  readonly namespace: string;
  readonly predicates: readonly { readonly value: string; readonly expanded?: string }[];
  readonly values?: readonly { readonly predicate: string; readonly entry: readonly { readonly value: string }[] }[];
}

/** The RSIT vocabulary built from its machine-tag data: checks classifications, maps a type to its class. */
export interface RsitVocabulary {
  check(c: Classification): string | null;
  taxonomyOf(type: string): string | null;
  readonly classes: readonly string[];
}

export function compileRsit(t: MachineTagTaxonomy): RsitVocabulary {
  const types = new Map<string, Set<string>>();
  const classOf = new Map<string, string>();
  for (const p of t.predicates) {
    types.set(p.value, new Set());
  }
  for (const v of t.values ?? []) {
    for (const e of v.entry) {
      types.get(v.predicate)?.add(e.value);
      if (!classOf.has(e.value)) {
        classOf.set(e.value, v.predicate);
      }
    }
  }
  return {
    classes: [...types.keys()],
    taxonomyOf: (type) => classOf.get(type) ?? null,
    check: (c) => {
      const allowed = types.get(c.taxonomy);
      if (!allowed) {
        return `"${c.taxonomy.slice(0, 100)}" is not an RSIT taxonomy class (${[...types.keys()].join(', ')})`;
      }
      return allowed.has(c.type) ? null : `"${c.type.slice(0, 100)}" is not an RSIT type of ${c.taxonomy}`;
    },
  };
}

/** TLP labels as the MISP `tlp` taxonomy spells them, mapped to TLP 2.0 (legacy `white` is CLEAR). */
export function compileTlpTags(t: MachineTagTaxonomy): ReadonlyMap<string, TlpLabel> {
  const known: Record<string, TlpLabel> = {
    clear: 'CLEAR',
    white: 'CLEAR',
    green: 'GREEN',
    amber: 'AMBER',
    'amber+strict': 'AMBER+STRICT',
    red: 'RED',
  };
  const m = new Map<string, TlpLabel>();
  for (const p of t.predicates) {
    const label = known[p.value];
    if (label) {
      m.set(`${t.namespace}:${p.value}`, label);
    }
  }
  return m;
}
