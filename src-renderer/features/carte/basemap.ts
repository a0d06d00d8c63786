// Offline world basemap from world-atlas (Natural Earth 1:110m), bundled with the app.
// Rings crossing ±180° (Russia, Fiji, Antarctica) are unwrapped so Leaflet does not draw bands across the map.
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import world110 from 'world-atlas/countries-110m.json';
import codes from 'i18n-iso-countries/codes.json';

const numericToAlpha2 = new Map<string, string>((codes as string[][]).map((c) => [c[2]!, c[0]!]));

export interface CountryFeature extends Feature<Polygon | MultiPolygon, { name: string; code: string | null }> {}

/** Keeps each ring continuous: a jump of more than 180° in longitude is the antimeridian, not a real edge. */
export function unwrapRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  let offset = 0;
  let prev: number | null = null;
  for (const p of ring) {
    const lon = p[0]!;
    if (prev !== null) {
      const d = lon + offset - prev;
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
    }
    const x = lon + offset;
    out.push([x, p[1]!]);
    prev = x;
  }
  return out;
}

function unwrapGeometry(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(unwrapRing) };
  return { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(unwrapRing)) };
}

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

function ringAreaCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let a = 0,
    cx = 0,
    cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j] as [number, number];
    const [x1, y1] = ring[i] as [number, number];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  a /= 2;
  return a === 0
    ? { area: 0, x: ring[0]![0]!, y: ring[0]![1]! }
    : { area: Math.abs(a), x: cx / (6 * a), y: cy / (6 * a) };
}

/** Centroid of a country's largest polygon, [lat, lon], longitude back in [-180, 180]. */
export function centroidOf(g: Polygon | MultiPolygon): [number, number] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best = { area: -1, x: 0, y: 0 };
  for (const p of polys) {
    const c = ringAreaCentroid(p[0]!);
    if (c.area > best.area) best = c;
  }
  const lon = ((((best.x + 180) % 360) + 360) % 360) - 180;
  return [best.y, lon];
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
