import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_LIFECYCLE, ALERT_STAGES, TRANSITION_NAMES, transition } from '@tocsin/domain';
import { AlertStore } from './alert-store';

const ROOT = resolve(__dirname, '../../..');

/** The rows of the tables in docs/model.md's "Alert lifecycle" section, each as its cells. */
function lifecycleTables(): string[][][] {
  const doc = readFileSync(resolve(ROOT, 'docs/model.md'), 'utf8');
  const start = doc.indexOf('## Alert lifecycle');
  expect(start).toBeGreaterThan(0);
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  const tables: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) {
      current = null;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.every((c) => /^-+$/.test(c))) {
      continue;
    }
    if (!current) {
      current = [];
      tables.push(current);
      continue; // the header row
    }
    current.push(cells);
  }
  return tables;
}

const code = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe('docs/model.md alert lifecycle', () => {
  const [stages, transitions] = lifecycleTables();

  it('lists every stage, in order, with the job that moves it on', () => {
    expect(stages?.map((r) => code(r[0])[0])).toEqual(ALERT_STAGES);
    for (const row of stages ?? []) {
      const spec = ALERT_LIFECYCLE.stages[code(row[0])[0] as (typeof ALERT_STAGES)[number]];
      expect(code(row[1])[0]).toBe(spec.status);
      if (spec.job === null) {
        expect(row[2]).toMatch(/^none/);
      } else {
        expect(code(row[2])[0]).toBe(spec.job);
      }
      expect(row[2]?.includes('(final)')).toBe(spec.final);
    }
  });

  it('lists every transition, in order, with its moves and AlertStore methods that exist', () => {
    expect(transitions?.map((r) => code(r[0])[0])).toEqual(TRANSITION_NAMES);
    for (const row of transitions ?? []) {
      const name = code(row[0])[0] as (typeof TRANSITION_NAMES)[number];
      const moves = ALERT_LIFECYCLE.transitions[name];
      if (name === 'revoke') {
        // Written as "every stage but …": check the exceptions are exactly the stages it refuses.
        expect(code(row[1]).slice(0, -1)).toEqual(ALERT_STAGES.filter((s) => !transition(s, 'revoke').ok));
      } else {
        expect(code(row[1])).toEqual(moves.flatMap(([from, to]) => [from, to]));
      }
      for (const method of code(row[2])) {
        expect(typeof (AlertStore.prototype as unknown as Record<string, unknown>)[method!]).toBe('function');
      }
    }
  });
});
