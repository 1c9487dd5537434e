import { describe, expect, it } from 'vitest';
import * as alerts from '@tocsin/alerts';
import * as coordination from '@tocsin/coordination';
import * as delivery from '@tocsin/delivery';
import * as normalization from '@tocsin/normalization';
import * as orgs from '@tocsin/orgs';
import * as vetting from '@tocsin/vetting';

/** STYLE.md §3: a context exports its use-cases and read models through its index.ts, never its repositories. */
const CONTEXTS: Record<string, Record<string, unknown>> = {
  orgs,
  alerts,
  coordination,
  normalization,
  vetting,
  delivery,
};

describe('context exports', () => {
  it.each(Object.keys(CONTEXTS))('%s exports no repository', (name) => {
    const exported = CONTEXTS[name]!;
    const repositories = Object.keys(exported).filter(
      (k) =>
        k.endsWith('Repository') ||
        (typeof exported[k] === 'function' && /Repository$/.test((exported[k] as { name: string }).name)),
    );
    expect(repositories).toEqual([]);
    expect(Object.keys(exported).length).toBeGreaterThan(0);
  });

  it('coordination offers vetting its corroboration and delivery its coordinated-alert read model', () => {
    expect(typeof coordination.Corroboration).toBe('function');
    expect(typeof coordination.snapshotFromJson).toBe('function');
    expect(typeof coordination.viewToJson).toBe('function');
  });
});
