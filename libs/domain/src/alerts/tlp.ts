/** TLP 2.0 labels (FIRST, 2022), from least to most restrictive. */
export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** TLP levels as senders write them: TLP 2.0 words plus TLP 1.0's `white`, which TLP 2.0 renamed CLEAR. */
const TLP_WORDS: Readonly<Record<string, TlpLabel>> = {
  white: 'CLEAR',
  clear: 'CLEAR',
  green: 'GREEN',
  amber: 'AMBER',
  'amber+strict': 'AMBER+STRICT',
  red: 'RED',
};

/** `amber`, `TLP:AMBER+STRICT`, `tlp: white` → the TLP 2.0 label; undefined for anything else. */
export function tlpFromWord(word: string): TlpLabel | undefined {
  return TLP_WORDS[
    word
      .trim()
      .toLowerCase()
      .replace(/^tlp\s*:\s*/, '')
  ];
}

/** A label's place in CLEAR < GREEN < AMBER < AMBER+STRICT < RED. */
export function tlpRank(tlp: TlpLabel): number {
  return TLP_LABELS.indexOf(tlp);
}

/** The more restrictive of two labels; either may be absent. */
export function moreRestrictiveTlp(a: TlpLabel | undefined, b: TlpLabel | undefined): TlpLabel | undefined {
  if (a === undefined) {
    return b;
  }
  if (b === undefined) {
    return a;
  }
  return tlpRank(a) >= tlpRank(b) ? a : b;
}

/** The most restrictive of some labels; null for none. */
export function mostRestrictiveTlp(labels: readonly TlpLabel[]): TlpLabel | null {
  let most: TlpLabel | undefined;
  for (const tlp of labels) {
    most = moreRestrictiveTlp(most, tlp);
  }
  return most ?? null;
}
