import { storableString } from './storable-text';

/**
 * The `reason` of a decision a person records (a review, a revocation, a change of an organisation): required, not
 * blank, at most 1,000 characters, trimmed.
 */
export const reasonField = storableString({ error: 'is required: say why' })
  .trim()
  .min(1, 'must not be blank: say why')
  .max(1000, 'must be at most 1,000 characters');
