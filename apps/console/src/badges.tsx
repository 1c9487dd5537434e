import type { AlertView } from './api';

/** TLP 2.0 (FIRST): each label in its colour on black. */
export function TlpBadge({ tlp }: { readonly tlp: AlertView['tlp'] }): React.JSX.Element {
  const cls = `tlp tlp-${tlp.toLowerCase().replace('+', '-')}`;
  return <span className={cls}>TLP:{tlp}</span>;
}

export function SeverityBadge({ severity }: { readonly severity: AlertView['severity'] }): React.JSX.Element {
  return <span className={`severity severity-${severity}`}>{severity}</span>;
}

export function classificationText(c: AlertView['classification']): string {
  return c ? `${c.taxonomy}/${c.type}` : 'unclassified';
}

export function sourceText(s: AlertView['source']): string {
  if (s.attribution === 'anonymous') {
    return `anonymous (${s.trustBand})`;
  }
  return s.country ?? 'unknown country';
}
