import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { choice, collect, intOption, take } from './program-helpers';

describe('option parsers', () => {
  it('reads whole numbers within bounds and refuses the rest', () => {
    const trust = intOption(0, 4);
    expect(trust('3')).toBe(3);
    expect(() => trust('5')).toThrow(InvalidArgumentError);
    expect(() => trust('2.5')).toThrow('must be a whole number from 0 to 4.');
    expect(() => trust('')).toThrow(InvalidArgumentError);
  });

  it('collects repeated and comma-separated values', () => {
    expect(collect('c', collect('a, b', undefined))).toEqual(['a', 'b', 'c']);
  });

  it('matches a choice in any case and lists the choices otherwise', () => {
    const format = choice(['stix', 'misp'] as const);
    expect(format('STIX')).toBe('stix');
    expect(() => format('csv')).toThrow('must be one of stix, misp.');
  });

  it('takes at most n items of a paged list', async () => {
    async function* items() {
      for (let i = 0; ; i++) {
        yield await Promise.resolve(i);
      }
    }
    expect(await take(items(), 3)).toEqual([0, 1, 2]);
  });
});
