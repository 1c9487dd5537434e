// A choropleth of countries keyed by ISO 3166-1 alpha-2, drawn in SVG from the bundled world-atlas (110m, ISC) with
// topojson-client and d3-geo. Loaded lazily (see LazyWorldMap in world-map-lazy.tsx): the atlas stays out of the
// initial JavaScript. No network at run time, no inline style: colours come from classes in world-map.css.
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, Geometry } from 'geojson';
import atlas from 'world-atlas/countries-110m.json';
// i18n-iso-countries' table of codes only (alpha-2, alpha-3, numeric: 10 KB), not its names or its code.
import codes from 'i18n-iso-countries/codes.json';
import './world-map.css';

export interface WorldMapProps {
  /** Counts keyed by ISO 3166-1 alpha-2 code (upper case); other keys are listed but not drawn. */
  readonly counts: Readonly<Record<string, number>>;
  /** What is counted, e.g. "Alerts by source country": the figure's name and the list's caption. */
  readonly label: string;
}

interface Country {
  readonly alpha2: string | null;
  readonly name: string;
  readonly path: string;
}

const WIDTH = 960;
const HEIGHT = 480;
/** Colour steps: a country's count relative to the largest falls in one of them (class map-step-N). */
const STEPS = 5;

const numericToAlpha2 = new Map((codes as readonly (readonly string[])[]).map((c) => [c[2] ?? '', c[0] ?? '']));

let drawn: readonly Country[] | null = null;

/** Every country's outline as an SVG path, projected once. */
function countries(): readonly Country[] {
  if (drawn === null) {
    const topology = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    const collection = feature(topology, topology.objects.countries);
    const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], collection);
    const path = geoPath(projection);
    drawn = collection.features.map((f: Feature<Geometry, { name: string }>) => ({
      alpha2: f.id === undefined ? null : (numericToAlpha2.get(String(f.id).padStart(3, '0')) ?? null),
      name: f.properties.name,
      path: path(f) ?? '',
    }));
  }
  return drawn;
}

/** A country's name from the atlas, or its code when the atlas has no such country (or it is no country). */
export function countryName(code: string): string {
  return countries().find((c) => c.alpha2 === code)?.name ?? code;
}

export function WorldMap({ counts, label }: WorldMapProps): React.JSX.Element {
  const shapes = countries();
  const entries = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const step = (n: number): number => (n <= 0 ? 0 : Math.max(1, Math.ceil((n / max) * STEPS)));
  const spoken = entries.length === 0 ? 'none' : entries.map(([code, n]) => `${countryName(code)} ${n}`).join(', ');
  return (
    <figure className="world-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${label}: ${spoken}`}>
        {shapes.map((c, i) => {
          const n = c.alpha2 === null ? 0 : (counts[c.alpha2] ?? 0);
          return (
            <path key={c.alpha2 ?? `x${i}`} d={c.path} className={`map-country map-step-${step(n)}`}>
              <title>{n > 0 ? `${c.name}: ${n}` : c.name}</title>
            </path>
          );
        })}
      </svg>
      <figcaption>
        <table className="map-list">
          <caption>{label}</caption>
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col">Alerts</th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 ? (
              <tr>
                <td colSpan={2}>None</td>
              </tr>
            ) : (
              entries.map(([code, n]) => (
                <tr key={code}>
                  <th scope="row">
                    {countryName(code)} {countryName(code) === code ? null : <span className="map-code">({code})</span>}
                  </th>
                  <td>{n}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}

export default WorldMap;
