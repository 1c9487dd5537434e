export * from './constituency';
export {
  buildConstituencyIndex,
  matchConstituency,
  matchIndicator,
  countsForConstituency,
  type ConstituencyIndex,
  type ConstituencyHit,
  type ConstituencyMatch,
  type ConstituencyMatchKind,
  type MatchableIndicator,
} from './constituency-index';
