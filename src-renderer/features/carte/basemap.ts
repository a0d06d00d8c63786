// Offline world basemap from world-atlas (Natural Earth 1:110m), bundled with the app.
// Rings crossing ±180° (Russia, Fiji, Antarctica) are unwrapped so Leaflet does not draw bands across the map.
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import { centroidOf, unwrapGeometry, unwrapRing } from '../../../src-shared/carte/geometrie';
import world110 from 'world-atlas/countries-110m.json';
import codes from 'i18n-iso-countries/codes.json';

const numericToAlpha2 = new Map<string, string>((codes as string[][]).map((c) => [c[2]!, c[0]!]));

export { centroidOf, unwrapRing };

export interface CountryFeature extends Feature<Polygon | MultiPolygon, { name: string; code: string | null }> {}

function countries(topology: unknown): CountryFeature[] {
  const topo = topology as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  const out: CountryFeature[] = [];
  for (const f of fc.features) {
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) continue;
    const id = f.id === undefined ? null : String(f.id).padStart(3, '0');
    out.push({
      type: 'Feature',
      id: f.id,
      properties: { name: f.properties?.name ?? '', code: id ? (numericToAlpha2.get(id) ?? null) : null },
      geometry: unwrapGeometry(f.geometry),
    });
  }
  return out;
}

let cache: CountryFeature[] | null = null;
export function worldCountries(): CountryFeature[] {
  return (cache ??= countries(world110));
}

let centroids: Map<string, [number, number]> | null = null;
/** Country code → centroid, for partners without a position. */
export function countryCentroids(): Map<string, [number, number]> {
  if (centroids) return centroids;
  centroids = new Map();
  for (const f of worldCountries()) if (f.properties.code) centroids.set(f.properties.code, centroidOf(f.geometry));
  return centroids;
}

/**
 * Countries too small for the 1:110m map (Cabo Verde, Comores, Seychelles…) get their centroid from the
 * 1:50m file, loaded only when a partner needs it. Returns how many centroids were added.
 */
export async function loadSmallCountryCentroids(codes: Iterable<string>): Promise<number> {
  const base = countryCentroids();
  const missing = new Set([...codes].filter((c) => !base.has(c)));
  if (!missing.size) return 0;
  const world50 = (await import('world-atlas/countries-50m.json')).default;
  let added = 0;
  for (const f of countries(world50)) {
    const code = f.properties.code;
    if (code && missing.has(code) && !base.has(code)) {
      base.set(code, centroidOf(f.geometry));
      added++;
    }
  }
  return added;
}
