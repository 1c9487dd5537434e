import { describe, expect, it } from 'vitest';
import { ALERT_STATUSES, TLP_LABELS, type Actor, type Role, type TrustLevel } from '@tocsin/domain';
import type { AlertRecord } from './alert.repository';
import { visibilityFor, type StatusTlp } from './alert-visibility';
import { mayView } from './get-alert.use-case';

const ME = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const THEM = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const THIRD = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

const actors: Actor[] = ([0, 1, 2, 3, 4] as TrustLevel[]).flatMap((trustLevel) =>
  (['reader', 'operator', 'vetter', 'admin'] as Role[]).flatMap((role) =>
    [false, true].map((orgIsHub) => ({ keyId: 'k', orgId: ME, role, orgIsHub, trustLevel })),
  ),
);

/** The pairs the derived visibility grants for an alert with this relation to the caller. */
function granted(
  actor: Actor,
  a: Pick<AlertRecord, 'sourceOrgId' | 'recipients'>,
  minTrust: TrustLevel,
): readonly StatusTlp[] {
  const v = visibilityFor(actor, minTrust);
  if (a.sourceOrgId === actor.orgId) {
    return v.own;
  }
  return a.recipients.includes(actor.orgId) ? v.named : v.other;
}

describe(visibilityFor.name, () => {
  // Relations as stored: submitter, named recipient (alone or among others), someone else's alert naming others.
  const relations = [
    { sourceOrgId: ME, recipients: [] },
    { sourceOrgId: ME, recipients: [THEM] },
    { sourceOrgId: THEM, recipients: [ME] },
    { sourceOrgId: THEM, recipients: [THIRD, ME] },
    { sourceOrgId: THEM, recipients: [] },
    { sourceOrgId: THEM, recipients: [THIRD] },
  ];

  it.each([1, 2, 3, 4] as TrustLevel[])(
    'agrees with mayView for every caller, status, TLP label and relation (reviewers from trust %i)',
    (minTrust) => {
      let checked = 0;
      for (const actor of actors) {
        for (const rel of relations) {
          for (const status of ALERT_STATUSES) {
            for (const tlp of TLP_LABELS) {
              const a = { ...rel, status, tlp } as unknown as AlertRecord;
              expect(
                granted(actor, a, minTrust).includes(`${status}:${tlp}`),
                JSON.stringify({ actor, rel, status, tlp }),
              ).toBe(mayView(actor, a, minTrust));
              checked++;
            }
          }
        }
      }
      expect(checked).toBe(actors.length * relations.length * ALERT_STATUSES.length * TLP_LABELS.length);
    },
  );

  it("lets a trust-3 vetter see other orgs' pending alerts exactly when reviewers start at trust 3", () => {
    const vetter: Actor = { keyId: 'k', orgId: ME, role: 'vetter', orgIsHub: false, trustLevel: 3 };
    expect(visibilityFor(vetter, 3).other).toContain('pending_review:GREEN');
    expect(visibilityFor(vetter, 4).other).not.toContain('pending_review:GREEN');
    expect(visibilityFor({ ...vetter, trustLevel: 2 }, 3).other).not.toContain('pending_review:GREEN');
  });

  it('gives a suspended member nothing, and a trust-1 reader only CLEAR and GREEN of others once published', () => {
    expect(visibilityFor({ keyId: 'k', orgId: ME, role: 'reader', orgIsHub: false, trustLevel: 0 }, 4)).toEqual({
      orgId: ME,
      own: [],
      named: [],
      other: [],
    });
    expect(visibilityFor({ keyId: 'k', orgId: ME, role: 'reader', orgIsHub: false, trustLevel: 1 }, 4).other).toEqual([
      'published:CLEAR',
      'published:GREEN',
    ]);
  });
});
