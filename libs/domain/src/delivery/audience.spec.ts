import { describe, it, expect } from 'vitest';
import { mayReceive, type AudienceAlert } from './audience';
import { TLP_LABELS, type TlpLabel } from '../alerts/tlp';
import { TRUST_LEVELS, type TrustLevel } from '../orgs/trust';

const SUBMITTER = 'org-submitter';
const RECIPIENT = 'org-recipient';
const UNRELATED = 'org-unrelated';
const OTHER_RECIPIENT = 'org-other-recipient';

type Relation = 'submitter' | 'recipient' | 'unrelated';
const VIEWER: Record<Relation, string> = { submitter: SUBMITTER, recipient: RECIPIENT, unrelated: UNRELATED };

const _ = false;
const Y = true;
/**
 * The policy from the doc comment, by hand: for each TLP and relation, whether a viewer of trust 0..4 sees it.
 * CLEAR/GREEN: any active member. AMBER/AMBER+STRICT: trust ≥ 2, or the submitter. RED: the submitter and named
 * recipients only. Trust 0 (suspended): nothing, not even its own. "recipient" means named in alert.recipients,
 * which widens only a RED alert.
 */
// prettier-ignore
const POLICY: Record<TlpLabel, Record<Relation, readonly [boolean, boolean, boolean, boolean, boolean]>> = {
  //                          trust: 0  1  2  3  4
  'CLEAR':        { submitter:      [_, Y, Y, Y, Y], recipient: [_, Y, Y, Y, Y], unrelated: [_, Y, Y, Y, Y] },
  'GREEN':        { submitter:      [_, Y, Y, Y, Y], recipient: [_, Y, Y, Y, Y], unrelated: [_, Y, Y, Y, Y] },
  'AMBER':        { submitter:      [_, Y, Y, Y, Y], recipient: [_, _, Y, Y, Y], unrelated: [_, _, Y, Y, Y] },
  'AMBER+STRICT': { submitter:      [_, Y, Y, Y, Y], recipient: [_, _, Y, Y, Y], unrelated: [_, _, Y, Y, Y] },
  'RED':          { submitter:      [_, Y, Y, Y, Y], recipient: [_, Y, Y, Y, Y], unrelated: [_, _, _, _, _] },
};

function alert(tlp: TlpLabel, recipients: readonly string[] = [RECIPIENT, OTHER_RECIPIENT]): AudienceAlert {
  return { tlp, sourceOrgId: SUBMITTER, recipients };
}

describe(mayReceive.name, () => {
  const relations: readonly Relation[] = ['submitter', 'recipient', 'unrelated'];
  const matrix = TLP_LABELS.flatMap((tlp) =>
    TRUST_LEVELS.flatMap((trust) =>
      relations.map((relation) => [tlp, trust, relation, POLICY[tlp][relation][trust]] as const),
    ),
  );

  it('covers every TLP × trust level × relation', () => {
    expect(matrix).toHaveLength(5 * 5 * 3);
  });

  it.each(matrix)('shows a TLP:%s alert to a trust-%i %s: %s', (tlp, trust, relation, expected) => {
    expect(mayReceive(alert(tlp), { id: VIEWER[relation], trustLevel: trust })).toBe(expected);
  });

  it.each(TRUST_LEVELS.filter((t) => t > 0))(
    'shows a RED alert with no recipients only to its submitter (trust %i)',
    (trust: TrustLevel) => {
      const red = alert('RED', []);
      expect(mayReceive(red, { id: SUBMITTER, trustLevel: trust })).toBe(true);
      expect(mayReceive(red, { id: RECIPIENT, trustLevel: trust })).toBe(false);
    },
  );

  it('matches RED recipients by exact id, not by prefix', () => {
    expect(mayReceive(alert('RED', ['org-recipient-2']), { id: RECIPIENT, trustLevel: 4 })).toBe(false);
  });

  it('shows a RED alert to every named recipient', () => {
    const red = alert('RED');
    expect(mayReceive(red, { id: RECIPIENT, trustLevel: 1 })).toBe(true);
    expect(mayReceive(red, { id: OTHER_RECIPIENT, trustLevel: 1 })).toBe(true);
  });
});
