import { describe, it, expect } from 'vitest';
import { decideVetting, type VettingDecision } from './decide-vetting';
import type { TrustLevel } from '../orgs/trust';

describe(decideVetting.name, () => {
  it.each<[TrustLevel, VettingDecision]>([
    [0, { outcome: 'review', reason: 'submitter trust level 0 requires review' }],
    [1, { outcome: 'review', reason: 'submitter trust level 1 requires review' }],
    [2, { outcome: 'review', reason: 'submitter trust level 2 requires review' }],
    [3, { outcome: 'publish' }],
    [4, { outcome: 'publish' }],
  ])('decides for a submitter of trust %i: %j', (trustLevel, expected) => {
    expect(decideVetting({ trustLevel })).toEqual(expected);
  });
});
