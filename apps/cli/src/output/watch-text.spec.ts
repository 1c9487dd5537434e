import { describe, expect, it } from 'vitest';
import { makeColors, safeText, tlpLabel } from './colors';
import { renderWatchEvent, watchJsonLine } from './watch-text';

const plain = makeColors(false);
const colored = makeColors(true);

const alert = {
  id: '9714cb29-bf6a-42f5-8394-a5af7f5ecaf6',
  title: 'Emotet C2 wave',
  severity: 'high',
  tlp: 'AMBER',
  indicatorCount: 2,
  publishedAt: '2026-11-28T08:12:10.554Z',
  source: { attribution: 'named', country: 'FR', trustBand: 'trusted', org: { id: 'o', name: 'CERT-FR' } },
};

describe('renderWatchEvent', () => {
  it('shows seq, time, severity, TLP, title, source and indicator count of an alert', () => {
    expect(renderWatchEvent('alert', { seq: 12, alert }, plain)).toBe(
      '#12 2026-11-28 08:12:10Z HIGH TLP:AMBER Emotet C2 wave · FR trusted (CERT-FR) · 2 indicators · 9714cb29-bf6a-42f5-8394-a5af7f5ecaf6',
    );
  });

  it('shows a revision with its title, number, severity and confidence', () => {
    const revised = { id: alert.id, revision: 3, title: 'Emotet C2 wave', severity: 'high', confidence: 65 };
    expect(renderWatchEvent('alert-updated', { seq: 14, alert: revised }, plain)).toBe(
      '#14 updated Emotet C2 wave · revision 3 · HIGH · confidence 65 · 9714cb29-bf6a-42f5-8394-a5af7f5ecaf6',
    );
    expect(renderWatchEvent('alert-updated', { seq: 15, alert: { ...revised, confidence: null } }, plain)).toBe(
      '#15 updated Emotet C2 wave · revision 3 · HIGH · 9714cb29-bf6a-42f5-8394-a5af7f5ecaf6',
    );
  });

  it('shows an anonymous source by country and trust band only', () => {
    const anon = { ...alert, source: { attribution: 'anonymous', country: 'DE', trustBand: 'member' } };
    expect(renderWatchEvent('alert', { seq: 1, alert: anon }, plain)).toContain('· DE member (anonymous) ·');
  });

  it('marks coordinated alerts and constituency hits', () => {
    const coordinated = renderWatchEvent(
      'coordinated-alert',
      {
        seq: 3,
        coordinatedAlert: {
          id: 'c1',
          status: 'active',
          tlp: 'GREEN',
          orgCount: 3,
          reportCount: 3,
          countries: ['DE', 'FR'],
          sharedIndicators: ['a', 'b'],
        },
      },
      plain,
    );
    expect(coordinated).toBe(
      '#3 ⧉ COORDINATED TLP:GREEN 3 organisations in DE, FR · 3 reports · 2 shared indicators · active · c1',
    );
    const hit = renderWatchEvent(
      'constituency-hit',
      {
        seq: 4,
        alertId: 'a1',
        matchCount: 1,
        countries: ['LU'],
        indicators: [{ value: '203.0.113.7', matched: { value: '203.0.113.0/24' } }],
      },
      plain,
    );
    expect(hit).toBe('#4 ⚑ CONSTITUENCY HIT a1 · 1 match: 203.0.113.7 in 203.0.113.0/24 · countries LU');
  });

  it('prints revocations with their reason', () => {
    expect(renderWatchEvent('alert-revoked', { seq: 9, alertId: 'a1', reason: 'false alarm' }, plain)).toBe(
      '#9 revoked a1: false alarm',
    );
  });

  it('colours TLP in TLP 2.0 colours only when colour is on', () => {
    expect(tlpLabel(plain, 'RED')).toBe('TLP:RED');
    expect(tlpLabel(colored, 'RED')).toContain('\u001b[');
    expect(tlpLabel(colored, 'RED')).toContain('TLP:RED');
    expect(renderWatchEvent('alert', { seq: 1, alert }, plain)).not.toContain('\u001b');
  });

  it('keeps a hostile title from driving the terminal', () => {
    const line = renderWatchEvent('alert', { seq: 1, alert: { ...alert, title: 'x\u001b[2J\u202eevil\r' } }, plain);
    expect(line).not.toContain('\u001b');
    expect(line).not.toContain('\u202e');
    expect(line).not.toContain('\r');
    expect(safeText('a\u0000b\u009bc')).toBe('a?b?c');
  });
});

describe('watchJsonLine', () => {
  it('is one line that parses, naming the event', () => {
    const line = watchJsonLine('alert', { seq: 12, alert: { ...alert, title: 'two\nlines' } });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ event: 'alert', seq: 12, alert: { title: 'two\nlines' } });
  });
});
