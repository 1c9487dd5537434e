import { describe, expect, it } from 'vitest';
import type { Severity } from '../alerts/tlp';
import type { Actor } from '../orgs/actor';
import type { TrustLevel } from '../orgs/trust';
import { decideReview, decideVetting, isReviewer } from './decide-vetting';
import { parseReview, parseTrustChange } from './review-input';

const severities: Severity[] = ['low', 'medium', 'high', 'critical'];

describe(decideVetting.name, () => {
  // The documented default policy, written out: trust → severities published without review.
  const direct: Record<TrustLevel, Severity[]> = {
    0: [],
    1: [],
    2: ['low', 'medium'],
    3: ['low', 'medium', 'high', 'critical'],
    4: ['low', 'medium', 'high', 'critical'],
  };
  const rows = ([0, 1, 2, 3, 4] as TrustLevel[]).flatMap((t) =>
    severities.map((s) => [t, s, direct[t].includes(s) ? 'publish' : 'review'] as const),
  );

  it.each(rows)('decides trust %i, severity %s → %s', (trustLevel, severity, outcome) => {
    expect(decideVetting({ severity }, { trustLevel }).outcome).toBe(outcome);
  });

  it('says why an alert is held', () => {
    const d = decideVetting({ severity: 'high' }, { trustLevel: 2 });
    expect(d).toEqual({ outcome: 'review', reason: expect.stringContaining('trust 3 publishes directly') });
  });

  it('follows a configured policy', () => {
    const strict = { directPublish: { low: 3, medium: 3, high: 4, critical: 4 } } as const;
    expect(decideVetting({ severity: 'low' }, { trustLevel: 2 }, strict).outcome).toBe('review');
    expect(decideVetting({ severity: 'critical' }, { trustLevel: 3 }, strict).outcome).toBe('review');
    expect(decideVetting({ severity: 'critical' }, { trustLevel: 4 }, strict).outcome).toBe('publish');
  });
});

describe(decideReview.name, () => {
  const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
  const vetter = (o: Partial<Actor> = {}): Actor => ({
    keyId: 'k',
    orgId: B,
    role: 'vetter',
    orgIsHub: false,
    trustLevel: 4,
    ...o,
  });
  const alert = { sourceOrgId: A, tlp: 'AMBER' as const, recipients: [] as string[] };

  it.each([
    ['a trust-4 vetter of another org', vetter(), alert, 'allow'],
    ['a hub vetter', vetter({ orgIsHub: true, trustLevel: 4 }), alert, 'allow'],
    ['a trust-3 vetter', vetter({ trustLevel: 3 }), alert, 'forbidden'],
    ['a trust-4 operator', vetter({ role: 'operator' }), alert, 'forbidden'],
    ['a trust-4 admin', vetter({ role: 'admin' }), alert, 'forbidden'],
    ['a vetter of the submitting org', vetter({ orgId: A }), alert, 'own-alert'],
    ['a hub vetter on the hub’s own alert', vetter({ orgId: A, orgIsHub: true }), alert, 'own-alert'],
    ['a trust-4 vetter on a RED alert not naming it', vetter(), { ...alert, tlp: 'RED' as const }, 'not-found'],
    ['a trust-4 vetter named on a RED alert', vetter(), { ...alert, tlp: 'RED' as const, recipients: [B] }, 'allow'],
    ['a hub vetter on a RED alert', vetter({ orgIsHub: true }), { ...alert, tlp: 'RED' as const }, 'allow'],
  ])('decides %s → %s', (_l, actor, a, expected) => {
    expect(decideReview(actor, a)).toBe(expected);
  });
});

describe(parseReview.name, () => {
  it('reads a decision and its reason', () => {
    expect(parseReview({ decision: 'approve', reason: ' seen it too ' })).toEqual({
      ok: true,
      value: { decision: 'approve', reason: 'seen it too' },
    });
  });

  it.each([
    [{ decision: 'approve' }, '/reason'],
    [{ decision: 'approve', reason: '   ' }, '/reason'],
    [{ decision: 'maybe', reason: 'x' }, '/decision'],
    [{ decision: 'reject', reason: 'x', extra: 1 }, '/extra'],
  ])('names the bad field in %j', (body, pointer) => {
    const r = parseReview(body);
    expect(!r.ok && r.error.map((i) => i.pointer)).toContain(pointer);
  });
});

describe(parseTrustChange.name, () => {
  it('reads a level and a reason', () => {
    expect(parseTrustChange({ trustLevel: 0, reason: 'compromised keys' })).toEqual({
      ok: true,
      value: { trustLevel: 0, reason: 'compromised keys' },
    });
  });

  it.each([
    [{ trustLevel: 3 }, '/reason'],
    [{ trustLevel: 3, reason: '' }, '/reason'],
    [{ trustLevel: 3, reason: ' \n ' }, '/reason'],
    [{ trustLevel: 5, reason: 'x' }, '/trustLevel'],
    [{ trustLevel: '3', reason: 'x' }, '/trustLevel'],
    [{ reason: 'x' }, '/trustLevel'],
    [{ trustLevel: 2, reason: 'x', name: 'y' }, '/name'],
  ])('refuses %j naming the field', (body, pointer) => {
    const r = parseTrustChange(body);
    expect(!r.ok && r.error.map((i) => i.pointer)).toContain(pointer);
  });
});

describe(isReviewer.name, () => {
  const actor = (o: Partial<Actor>): Actor => ({
    keyId: 'k',
    orgId: 'o',
    role: 'vetter',
    orgIsHub: false,
    trustLevel: 4,
    ...o,
  });

  it.each([
    ['a trust-4 vetter', actor({}), true],
    ['a hub vetter', actor({ orgIsHub: true, trustLevel: 4 }), true],
    ['a trust-3 vetter', actor({ trustLevel: 3 }), false],
    ['a trust-4 operator', actor({ role: 'operator' }), false],
    ['a hub admin', actor({ orgIsHub: true, role: 'admin' }), false],
  ])('says %s reviews: %s', (_l, a, expected) => {
    expect(isReviewer(a)).toBe(expected);
  });
});
