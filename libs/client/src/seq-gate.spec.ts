import { describe, expect, it } from 'vitest';
import { partOf, SeqGate } from './seq-gate';

describe(SeqGate.name, () => {
  it('lets each seq through once, and none at or below the saved cursor', () => {
    const gate = new SeqGate(10);
    expect([9, 10, 11, 11, 12, 11, 13].map((s) => gate.admit(s, 'alert'))).toEqual([
      false,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(gate.highest).toBe(13);
    expect(gate.doneThrough).toBe(12);
  });

  it('lets through every part of one seq (alert, its chunks, its constituency hit) once each', () => {
    const gate = new SeqGate();
    const parts = ['alert', 'alert-indicators#1', 'alert-indicators#2', 'constituency-hit'];
    expect(parts.map((p) => gate.admit(5, p))).toEqual([true, true, true, true]);
    expect(parts.map((p) => gate.admit(5, p))).toEqual([false, false, false, false]);
  });

  it('resumes after the seq before the one in progress, so a seq cut in the middle comes again whole', () => {
    const gate = new SeqGate(3);
    expect(gate.resumeAfter()).toBe(3);
    gate.admit(7, 'alert');
    gate.admit(7, 'alert-indicators#1');
    expect(gate.resumeAfter()).toBe(6);
    // The replay after a reconnection sends seq 7 whole: only the missing chunk passes.
    expect(['alert', 'alert-indicators#1', 'alert-indicators#2'].map((p) => gate.admit(7, p))).toEqual([
      false,
      false,
      true,
    ]);
    expect(gate.admit(9, 'alert')).toBe(true);
    expect(gate.resumeAfter()).toBe(8);
    expect(new SeqGate().resumeAfter()).toBeUndefined();
  });

  it('refuses a seq that is not a non-negative integer', () => {
    const gate = new SeqGate();
    expect([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2].map((s) => gate.admit(s, 'alert'))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(gate.highest).toBeUndefined();
  });

  it('names chunks apart and other events by name', () => {
    expect(partOf('alert-indicators', { chunk: 3 })).toBe('alert-indicators#3');
    expect(partOf('alert', { seq: 1 })).toBe('alert');
  });
});
