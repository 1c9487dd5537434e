import { describe, expect, it } from 'vitest';
import type { RawIndicator } from '../model/canonical';
import { normalizeIndicators } from './normalize-indicators';
import { previewIndicators } from './preview-indicators';

const line = (n: number, value: string, extra: Partial<RawIndicator> = {}): RawIndicator => ({
  value,
  source: `line ${n}`,
  ...extra,
});
const none = () => null;
const bounds = { maxIndicators: 100, maxRefused: 1000 };

describe(previewIndicators.name, () => {
  it('counts what was read, accepted, merged and rejected, and lists each rejection with its line and reason', () => {
    const p = previewIndicators(
      [
        line(2, '198.51.100.7', { type: 'ipv4' }),
        line(3, '999.1.1.1', { type: 'ipv4' }),
        line(4, 'evil[.]example.com'),
        line(5, '198.51.100.7', { type: 'ipv4' }),
      ],
      [{ pointer: '/line/6', line: 6, detail: 'no indicator cell' }],
      none,
      bounds,
    );
    expect(p).toMatchObject({ read: 4, accepted: 2, duplicates: 1, rejected: 1, warned: 0, refusedTotal: 2 });
    expect(p.indicators.map((i) => [i.position, i.canonicalValue, i.source])).toEqual([
      [0, '198.51.100.7', 'line 2'],
      [2, 'evil.example.com', 'line 4'],
    ]);
    expect(p.refused).toEqual([
      { pointer: '/line/6', line: 6, detail: 'no indicator cell' },
      { pointer: '/line/3', line: 3, value: '999.1.1.1', detail: expect.stringMatching(/.+/) as unknown },
    ]);
  });

  it('agrees with normalizeIndicators on every value, flags and warnings included', () => {
    const raws = [
      line(1, 'hxxp://a[.]example/x'),
      line(2, '10.0.0.1', { type: 'ipv4' }),
      line(3, 'localhost'),
      line(4, 'A.example', { type: 'domain', actionable: false }),
      line(5, 'a.example', { type: 'domain' }),
    ];
    const warn = (_t: string, v: string) => (v === '10.0.0.1' ? { list: 'private', reason: 'RFC 1918' } : null);
    const p = previewIndicators(raws, [], warn, bounds);
    const stored = normalizeIndicators(raws, warn);
    expect(p.indicators.map((i) => [i.type, i.canonicalValue, [...i.flags].sort(), i.warning])).toEqual(
      stored
        .filter((s) => s.canonicalValue !== null)
        .map((s) => [s.type, s.canonicalValue, [...s.flags].sort(), s.warning]),
    );
    expect(p.rejected).toBe(stored.filter((s) => s.canonicalValue === null).length);
    expect(p.warned).toBe(1);
  });

  it('lists at most the bounds, and still counts everything', () => {
    const raws = Array.from({ length: 50 }, (_, n) => line(n + 1, n % 2 === 0 ? `192.0.2.${n}` : 'not a thing'));
    const p = previewIndicators(raws, [], none, { maxIndicators: 5, maxRefused: 3 });
    expect(p).toMatchObject({ read: 50, accepted: 25, rejected: 25, refusedTotal: 25 });
    expect(p.indicators).toHaveLength(5);
    expect(p.refused).toHaveLength(3);
  });
});
