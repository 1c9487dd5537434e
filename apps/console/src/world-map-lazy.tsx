// The world map, loaded on first use: its atlas (≈ 100 KB of JSON) and d3-geo stay out of the initial JavaScript.
import { lazy, Suspense } from 'react';
import type { WorldMapProps } from './world-map';

const WorldMap = lazy(() => import('./world-map'));

export function LazyWorldMap(props: WorldMapProps): React.JSX.Element {
  return (
    <Suspense fallback={<p>Loading the map…</p>}>
      <WorldMap {...props} />
    </Suspense>
  );
}
