import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileRsit, type MachineTagTaxonomy, type RsitVocabulary } from '@tocsin/domain';

export const TAXONOMY_DIR = resolve(__dirname, '../data/taxonomies');

/** Reads the RSIT machine-tag data shipped with this lib (once, at start). */
export function loadRsit(dir = TAXONOMY_DIR): RsitVocabulary {
  const file = resolve(dir, 'rsit/machinetag.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as MachineTagTaxonomy;
  if (!Array.isArray(data.predicates) || data.predicates.length === 0) {
    throw new Error(`${file} is not a MISP machine-tag taxonomy`);
  }
  return compileRsit(data);
}

export const RSIT = Symbol('RSIT');
