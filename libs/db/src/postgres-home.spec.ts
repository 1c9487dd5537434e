import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relocatedRoot, relocationBases } from './postgres-home';

describe(relocatedRoot.name, () => {
  it('gives one project data folder the same place on every start, named by a hash of its absolute path', () => {
    const a = relocatedRoot('/var/lib/tocsin', '/srv/tocsin/.data');
    expect(a).toBe(relocatedRoot('/var/lib/tocsin', '/srv/tocsin/.data/'));
    expect(a).toMatch(/^\/var\/lib\/tocsin\/[0-9a-f]{16}$/);
  });

  it('resolves a relative data folder against the working directory', () => {
    expect(relocatedRoot('/b', '.data')).toBe(relocatedRoot('/b', resolve('.data')));
  });

  it('gives two clones two places', () => {
    expect(relocatedRoot('/b', '/srv/one/.data')).not.toBe(relocatedRoot('/b', '/srv/two/.data'));
  });
});

describe(relocationBases.name, () => {
  it('tries the persistent system folder first, then one under the temporary folder', () => {
    const bases = relocationBases();
    expect(bases).toEqual(['/var/lib/tocsin', join(tmpdir(), 'tocsin')]);
  });
});
