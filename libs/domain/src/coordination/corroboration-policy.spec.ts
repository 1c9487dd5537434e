import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TLP_LABELS, type TlpLabel } from '../alerts/tlp';
import { mayReceive, type AudienceAlert, type AudienceOrg } from '../delivery/audience';
import { TRUST_LEVELS, type TrustLevel } from '../orgs/trust';
import {
  countsAsCorroboration,
  DEFAULT_RELEASE_POLICY,
  releasedByCorroboration,
  type ReleasePolicy,
} from './corroboration-policy';

const SUBMITTER = 'org-s';
const OTHER = 'org-c';

const alert = (tlp: TlpLabel, recipients: string[] = []): AudienceAlert & { readonly tlp: TlpLabel } => ({
  tlp,
  sourceOrgId: SUBMITTER,
  recipients,
});
const corroborator = (tlp: TlpLabel, over: Partial<AudienceAlert> = {}): AudienceAlert => ({
  tlp,
  sourceOrgId: OTHER,
  recipients: [],
  ...over,
});
const submitter = (trustLevel: TrustLevel): AudienceOrg => ({ id: SUBMITTER, trustLevel });
const by = (orgId: string, trustLevel: TrustLevel): { orgId: string; trustLevel: TrustLevel } => ({
  orgId,
  trustLevel,
});

describe(countsAsCorroboration.name, () => {
  it.each<[string, boolean, AudienceAlert, TlpLabel, TrustLevel]>([
    ['a RED corroborator, for a RED alert', false, corroborator('RED'), 'RED', 3],
    ['a RED corroborator naming the submitter', false, corroborator('RED', { recipients: [SUBMITTER] }), 'RED', 4],
    ['a RED corroborator, for a GREEN alert', false, corroborator('RED', { recipients: [SUBMITTER] }), 'GREEN', 4],
    ['an AMBER+STRICT corroborator, for an AMBER alert', false, corroborator('AMBER+STRICT'), 'AMBER', 3],
    ['an AMBER corroborator, for a GREEN alert', false, corroborator('AMBER'), 'GREEN', 3],
    ['a GREEN corroborator, for a CLEAR alert', false, corroborator('GREEN'), 'CLEAR', 3],
    ['an AMBER corroborator, for an AMBER alert of a trust-1 submitter', false, corroborator('AMBER'), 'AMBER', 1],
    ['an AMBER corroborator, for an AMBER alert of a trust-2 submitter', true, corroborator('AMBER'), 'AMBER', 2],
    ['an AMBER corroborator, for an AMBER+STRICT alert', true, corroborator('AMBER'), 'AMBER+STRICT', 2],
    ['an AMBER corroborator, for a RED alert of a trust-1 submitter', false, corroborator('AMBER'), 'RED', 1],
    // A RED alert may name recipients of any trust the configuration allows: only CLEAR and GREEN count for it.
    ['an AMBER corroborator, for a RED alert of a trust-3 submitter', false, corroborator('AMBER'), 'RED', 3],
    ['a GREEN corroborator, for a RED alert of a suspended submitter', false, corroborator('GREEN'), 'RED', 0],
    ['a GREEN report of the same org', false, corroborator('GREEN', { sourceOrgId: SUBMITTER }), 'GREEN', 3],
    [
      'a CLEAR report of the same org, for a RED alert',
      false,
      corroborator('CLEAR', { sourceOrgId: SUBMITTER }),
      'RED',
      4,
    ],
    ['a GREEN corroborator, for a RED alert', true, corroborator('GREEN'), 'RED', 1],
    ['a CLEAR corroborator, for a GREEN alert', true, corroborator('CLEAR'), 'GREEN', 1],
    ['a GREEN corroborator, for a GREEN alert', true, corroborator('GREEN'), 'GREEN', 1],
    ['a GREEN corroborator, for a suspended submitter', false, corroborator('GREEN'), 'GREEN', 0],
  ])('%s → counts: %s', (_, expected, c, alertTlp, trust) => {
    expect(countsAsCorroboration(c, alert(alertTlp), submitter(trust))).toBe(expected);
  });

  it('lets a counted report be seen by everyone who may see the alert, RED recipients of any trust included', () => {
    const ORGS = [SUBMITTER, OTHER, 'org-x', 'org-y'];
    fc.assert(
      fc.property(
        fc.constantFrom(...TLP_LABELS),
        fc.subarray(ORGS),
        fc.constantFrom(...TLP_LABELS),
        fc.constantFrom(...ORGS),
        fc.subarray(ORGS),
        fc.constantFrom(...TRUST_LEVELS),
        fc.record({ id: fc.constantFrom(...ORGS), trustLevel: fc.constantFrom(...TRUST_LEVELS) }),
        (alertTlp, alertRecipients, cTlp, cOrg, cRecipients, submitterTrust, v) => {
          const a = alert(alertTlp, alertRecipients);
          const c = corroborator(cTlp, { sourceOrgId: cOrg, recipients: cRecipients });
          // The submitter is one org: a viewer with its id has its trust.
          const seer = v.id === SUBMITTER ? submitter(submitterTrust) : v;
          if (countsAsCorroboration(c, a, submitter(submitterTrust)) && mayReceive(a, seer)) {
            expect(mayReceive(c, seer)).toBe(true);
          }
        },
      ),
    );
  });
});

describe(releasedByCorroboration.name, () => {
  it('has the documented default: submitter trust ≥ 2, corroborating trust ≥ 3', () => {
    expect(DEFAULT_RELEASE_POLICY).toEqual({ minSubmitterTrust: 2, minCorroboratingTrust: 3 });
  });

  describe('with the default policy', () => {
    it.each<[string, boolean, TrustLevel, { orgId: string; trustLevel: TrustLevel }[]]>([
      ['a trust-1 submitter, even with two coordinators', false, 1, [by('org-a', 4), by('org-b', 4)]],
      ['a suspended submitter, with two coordinators', false, 0, [by('org-a', 4), by('org-b', 4)]],
      ['a coordinator submitter without corroborators', false, 4, []],
      ['a trust-2 submitter, with one trust-3 corroborator', true, 2, [by('org-a', 3)]],
      ['a trust-2 submitter, with one coordinator', true, 2, [by('org-a', 4)]],
      ['a trust-2 submitter, with one trust-2 corroborator', false, 2, [by('org-a', 2)]],
      ['a trust-2 submitter, with two distinct trust-2 orgs', true, 2, [by('org-a', 2), by('org-b', 2)]],
      [
        'a trust-2 submitter, with one trust-2 org listed twice (counts once)',
        false,
        2,
        [by('org-a', 2), by('org-a', 2)],
      ],
      [
        'a trust-2 submitter, with one org listed at trust 2 and 3 (its highest counts)',
        true,
        2,
        [by('org-a', 2), by('org-a', 3)],
      ],
      [
        'a trusted submitter, with five trust-1 corroborators (they add nothing)',
        false,
        3,
        [1, 2, 3, 4, 5].map((i) => by(`org-${i}`, 1)),
      ],
      ['a trusted submitter, with a trust-2 and a trust-1 corroborator', false, 3, [by('org-a', 2), by('org-b', 1)]],
      [
        'a trusted submitter, with two suspended and one trust-2 corroborator',
        false,
        3,
        [by('org-a', 0), by('org-b', 0), by('org-c', 2)],
      ],
      ['a trusted submitter, with three trust-2 orgs', true, 3, [by('org-a', 2), by('org-b', 2), by('org-c', 2)]],
    ])('%s → released: %s', (_, expected, trust, corroborators) => {
      expect(releasedByCorroboration(trust, corroborators)).toBe(expected);
      expect(releasedByCorroboration(trust, corroborators, DEFAULT_RELEASE_POLICY)).toBe(expected);
    });
  });

  describe('with a custom policy', () => {
    const lenient: ReleasePolicy = { minSubmitterTrust: 1, minCorroboratingTrust: 4 };
    const strict: ReleasePolicy = { minSubmitterTrust: 3, minCorroboratingTrust: 6 };

    it('releases a trust-1 submitter when the policy allows it, at its corroborating trust', () => {
      expect(releasedByCorroboration(1, [by('org-a', 4)], lenient)).toBe(true);
      expect(releasedByCorroboration(1, [by('org-a', 2), by('org-b', 2)], lenient)).toBe(true);
      expect(releasedByCorroboration(1, [by('org-a', 3)], lenient)).toBe(false);
      expect(releasedByCorroboration(1, [by('org-a', 3), by('org-b', 1)], lenient)).toBe(false);
    });

    it('holds submitters below its minimum trust and needs its corroborating trust', () => {
      const plenty = [by('org-a', 4), by('org-b', 4)];
      expect(releasedByCorroboration(2, plenty, strict)).toBe(false);
      expect(releasedByCorroboration(3, plenty, strict)).toBe(true);
      expect(releasedByCorroboration(3, [by('org-a', 4)], strict)).toBe(false);
      expect(releasedByCorroboration(4, [by('org-a', 3), by('org-b', 3)], strict)).toBe(true);
      expect(releasedByCorroboration(4, [by('org-a', 3), by('org-a', 3)], strict)).toBe(false);
    });

    it('never releases a suspended submitter, even when the policy would allow trust 0', () => {
      const open: ReleasePolicy = { minSubmitterTrust: 0, minCorroboratingTrust: 1 };
      expect(releasedByCorroboration(0, [by('org-a', 4), by('org-b', 4)], open)).toBe(false);
      expect(releasedByCorroboration(1, [by('org-a', 2)], open)).toBe(true);
    });
  });

  describe('for any corroborators', () => {
    const arbCorroborators = fc.array(
      fc.record({
        orgId: fc.constantFrom('org-a', 'org-b', 'org-c', 'org-d'),
        trustLevel: fc.constantFrom(...TRUST_LEVELS),
      }),
      { maxLength: 8 },
    );
    const arbPolicy = fc.option(
      fc.record({
        minSubmitterTrust: fc.constantFrom(...TRUST_LEVELS),
        minCorroboratingTrust: fc.integer({ min: 0, max: 12 }),
      }),
      { nil: undefined },
    );

    it('never turns a release into a hold when corroborators are added', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...TRUST_LEVELS),
          arbCorroborators,
          arbCorroborators,
          arbPolicy,
          (trust, before, added, policy) => {
            if (releasedByCorroboration(trust, before, policy)) {
              expect(releasedByCorroboration(trust, [...before, ...added], policy)).toBe(true);
              expect(releasedByCorroboration(trust, [...added, ...before], policy)).toBe(true);
            }
          },
        ),
      );
    });

    it('depends neither on the order of the corroborators nor on trust-0 and trust-1 ones', () => {
      fc.assert(
        fc.property(fc.constantFrom(...TRUST_LEVELS), arbCorroborators, arbPolicy, (trust, corroborators, policy) => {
          const released = releasedByCorroboration(trust, corroborators, policy);
          expect(releasedByCorroboration(trust, [...corroborators].reverse(), policy)).toBe(released);
          expect(
            releasedByCorroboration(
              trust,
              corroborators.filter((c) => c.trustLevel >= 2),
              policy,
            ),
          ).toBe(released);
        }),
      );
    });
  });
});
