import { describe, expect, it } from 'vitest';
import { moreRestrictiveTlp, tlpFromWord } from './tlp';

describe(tlpFromWord.name, () => {
  it.each([
    ['amber', 'AMBER'],
    ['TLP:AMBER+STRICT', 'AMBER+STRICT'],
    ['tlp: white', 'CLEAR'],
    [' Clear ', 'CLEAR'],
    ['RED', 'RED'],
    ['tlp:ex:chr', undefined],
    ['orange', undefined],
    ['', undefined],
  ])('reads %j as %s', (word, label) => {
    expect(tlpFromWord(word)).toBe(label);
  });
});

describe(moreRestrictiveTlp.name, () => {
  it.each([
    ['GREEN', 'AMBER', 'AMBER'],
    ['RED', 'CLEAR', 'RED'],
    ['AMBER+STRICT', 'AMBER', 'AMBER+STRICT'],
    [undefined, 'GREEN', 'GREEN'],
    ['CLEAR', undefined, 'CLEAR'],
  ] as const)('picks %s vs %s → %s', (a, b, expected) => {
    expect(moreRestrictiveTlp(a, b)).toBe(expected);
  });
});
