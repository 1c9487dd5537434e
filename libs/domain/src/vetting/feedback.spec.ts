import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrustLevel } from '../orgs/trust';
import { applyFeedback, parseFeedback } from './feedback';

describe(applyFeedback.name, () => {
  it.each([
    [null, 'sighting', 3, 56],
    [null, 'false-positive', 3, 41],
    [90, 'sighting', 4, 98],
    [99, 'sighting', 4, 100],
    [5, 'false-positive', 4, 0],
    [70, 'sighting', 0, 70],
  ] as const)('moves %s by a %s from trust %i to %i', (c, type, trust, expected) => {
    expect(applyFeedback(c, type, trust)).toBe(expected);
  });

  it('stays within 0–100, rises with sightings and falls with false positives', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        fc.integer({ min: 0, max: 4 }),
        (c, t) => {
          const trust = t as TrustLevel;
          const up = applyFeedback(c, 'sighting', trust);
          const down = applyFeedback(c, 'false-positive', trust);
          expect(up).toBeGreaterThanOrEqual(c ?? 50);
          expect(down).toBeLessThanOrEqual(c ?? 50);
          expect(Math.min(up, down)).toBeGreaterThanOrEqual(0);
          expect(Math.max(up, down)).toBeLessThanOrEqual(100);
        },
      ),
    );
  });
});

describe(parseFeedback.name, () => {
  it.each([
    [{ type: 'sighting' }, { type: 'sighting', indicator: null }],
    [
      { type: 'false-positive', indicator: ' 198.51.100.7 ' },
      { type: 'false-positive', indicator: '198.51.100.7' },
    ],
  ])('reads %j', (body, value) => {
    expect(parseFeedback(body)).toEqual({ ok: true, value });
  });

  it.each([
    [{}, '/type'],
    [{ type: 'seen' }, '/type'],
    [{ type: 'sighting', indicator: '' }, '/indicator'],
    [{ type: 'sighting', note: 'x' }, '/note'],
  ])('names the bad field in %j', (body, pointer) => {
    const r = parseFeedback(body);
    expect(!r.ok && r.error.map((i) => i.pointer)).toContain(pointer);
  });
});
