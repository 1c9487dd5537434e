import { describe, expect, it } from 'vitest';
import { entriesFromWake, WAKE_ENTRIES_MAX_BYTES, wakeEntries, type WakeEntry } from './wake-entries';

const entry = (seq: number, payload: object = { id: `a${seq}` }): WakeEntry => ({
  seq,
  alertId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  tlp: 'GREEN',
  sourceOrgId: '00000000-0000-4000-8000-0000000000c2',
  recipients: [],
  payload: JSON.stringify(payload),
  publishedAt: '2026-12-04T10:00:00.123Z',
  sourceOrgName: 'CERT-X',
});

describe('wakeEntries', () => {
  it('carries a group of consecutive seqs, in seq order', () => {
    expect(wakeEntries([entry(8), entry(7), entry(9)])?.map((e) => e.seq)).toEqual([7, 8, 9]);
  });

  it('carries nothing for no entries, a gap, or payloads over the size bound', () => {
    expect(wakeEntries([])).toBeUndefined();
    expect(wakeEntries([entry(7), entry(9)])).toBeUndefined();
    const half = { text: 'x'.repeat(WAKE_ENTRIES_MAX_BYTES / 2) };
    expect(wakeEntries([entry(7, half)])).toBeDefined();
    expect(wakeEntries([entry(7, half), entry(8, half)])).toBeUndefined();
  });
});

describe('entriesFromWake', () => {
  it('gives the entries as the log would: an alert event, its payload parsed, its time a Date', () => {
    const [e] = entriesFromWake([entry(7, { id: 'a7', tlp: 'GREEN' })])!;
    expect(e).toEqual({
      seq: 7,
      event: 'alert',
      alertId: entry(7).alertId,
      coordinatedAlertId: null,
      tlp: 'GREEN',
      sourceOrgId: entry(7).sourceOrgId,
      recipients: [],
      payload: { id: 'a7', tlp: 'GREEN' },
      publishedAt: new Date('2026-12-04T10:00:00.123Z'),
      sourceOrgName: 'CERT-X',
    });
  });

  it.each([
    ['not a list', { seq: 7 }],
    ['an empty list', []],
    ['a gap', [entry(7), entry(9)]],
    ['a seq that is not an integer', [{ ...entry(7), seq: 7.5 }]],
    ['a seq given as text', [{ ...entry(7), seq: '7' }]],
    ['an unknown TLP', [{ ...entry(7), tlp: 'PURPLE' }]],
    ['recipients that are not text', [{ ...entry(7), recipients: [1] }]],
    ['a payload that is not JSON', [{ ...entry(7), payload: '{' }]],
    ['a payload that is not an object', [{ ...entry(7), payload: '[1]' }]],
    ['a time that is not one', [{ ...entry(7), publishedAt: 'yesterday' }]],
    ['an org name that is not text', [{ ...entry(7), sourceOrgName: 3 }]],
    ['an entry that is not an object', [null]],
    ['too many entries', Array.from({ length: 1_001 }, (_, i) => entry(i + 1))],
  ])('refuses %s (the gateway reads the log instead)', (_why, raw) => {
    expect(entriesFromWake(raw)).toBeNull();
  });
});
