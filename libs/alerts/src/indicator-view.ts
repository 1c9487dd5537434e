import type { IndicatorRow } from './alert.repository';

/**
 * An indicator as the REST API shows it (`GET /api/v1/alerts/:id/indicators`): the row as every reader sees it
 * (`actionable` is isActionable, computed when read: the same answer as socket payloads and exports), without what
 * the sender said, which only normalization reads.
 */
export type IndicatorView = Omit<IndicatorRow, 'senderActionable'>;

export function toIndicatorView(r: IndicatorRow): IndicatorView {
  const { senderActionable: _sender, ...view } = r;
  return view;
}
