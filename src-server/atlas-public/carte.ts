// The public map's data: the app's offline basemap (world-atlas, Natural Earth 1:110m, rings unwrapped at ±180° by
// the shared geometry) as one GeoJSON file, and the partners as points — at their own coordinates, else at their
// country's centroid with the app's small deterministic offset (1:50m for the countries too small for 1:110m).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import {
  centroidOf,
  jitter,
  unwrapGeometry,
  type MultiPolygonGeometry,
  type PolygonGeometry,
} from '../../src-shared/carte/geometrie';
import { nomPays } from '../../src-shared/reference/pays';
import type { AtlasData, PubPartenariat } from './donnees';
import { collectiviteUrl } from './urls';

const require = createRequire(import.meta.url);
const readJson = (spec: string): unknown => JSON.parse(readFileSync(require.resolve(spec), 'utf8'));

type Shape = PolygonGeometry | MultiPolygonGeometry;
interface Country {
  code: string | null;
  geometry: Shape;
}

let numericToAlpha2: Map<string, string> | null = null;
function countriesOf(file: string): Country[] {
  numericToAlpha2 ??= new Map((readJson('i18n-iso-countries/codes.json') as string[][]).map((c) => [c[2]!, c[0]!]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- topojson's own typings are not a dependency here
  const topo = readJson(`world-atlas/${file}`) as any;
  const fc = feature(topo, topo.objects.countries) as unknown as {
    features: { id?: string | number; geometry: { type: string } | null }[];
  };
  const out: Country[] = [];
  for (const f of fc.features) {
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) continue;
    const id = f.id === undefined ? null : String(f.id).padStart(3, '0');
    out.push({ code: id ? (numericToAlpha2.get(id) ?? null) : null, geometry: unwrapGeometry(f.geometry as Shape) });
  }
  return out;
}

let fond: string | null = null;
/** The basemap as GeoJSON (coordinates rounded to 0.01°: the scale of the 1:110m map). */
export function fondGeoJson(): string {
  if (fond) return fond;
  const round = (v: unknown): unknown => (Array.isArray(v) ? v.map(round) : Math.round((v as number) * 100) / 100);
  fond = JSON.stringify({
    type: 'FeatureCollection',
    features: countriesOf('countries-110m.json').map((c) => ({
      type: 'Feature',
      properties: { code: c.code },
      geometry: { type: c.geometry.type, coordinates: round(c.geometry.coordinates) },
    })),
  });
  return fond;
}

let centroids: Map<string, [number, number]> | null = null;
let small = false;
function centroid(code: string): [number, number] | null {
  if (!centroids) {
    centroids = new Map();
    for (const c of countriesOf('countries-110m.json')) if (c.code) centroids.set(c.code, centroidOf(c.geometry));
  }
  let at = centroids.get(code);
  if (!at && !small) {
    small = true;
    for (const c of countriesOf('countries-50m.json'))
      if (c.code && !centroids.has(c.code)) centroids.set(c.code, centroidOf(c.geometry));
    at = centroids.get(code);
  }
  return at ?? null;
}

export function positionOf(p: PubPartenariat): [number, number] | null {
  if (p.latitude !== null && p.longitude !== null) return [p.latitude, p.longitude];
  const c = centroid(p.pays);
  if (!c) return null;
  const [dy, dx] = jitter(p.id);
  return [Math.round((c[0] + dy) * 1e4) / 1e4, Math.round((c[1] + dx) * 1e4) / 1e4];
}

/**
 * The points of the map, compact: [lat, lon, 1 for a coopération décentralisée (0: another action), partner,
 * country, collectivité, collectivité's page]. Only public fields of public records.
 */
export function pointsJson(d: AtlasData, list: PubPartenariat[]): string {
  const out: unknown[] = [];
  for (const p of list) {
    const at = positionOf(p);
    if (!at) continue;
    const c = d.collectiviteById.get(p.collectiviteId)!;
    out.push([
      at[0],
      at[1],
      p.nature === 'cooperation_decentralisee' ? 1 : 0,
      p.nomPartenaire,
      nomPays(p.pays),
      c.nom,
      collectiviteUrl(c),
    ]);
  }
  return JSON.stringify({ version: d.version, points: out });
}
