// Geometry of the offline world basemap, shared by the app's map (src-renderer/features/carte) and the public
// Atlas's map (src-server/atlas-public): the same rings unwrapped at ±180°, the same centroids, the same offset of
// partners placed at their country's centroid. Plain GeoJSON shapes, no library.

export type Position = number[];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}

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

export function unwrapGeometry<G extends PolygonGeometry | MultiPolygonGeometry>(g: G): G {
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(unwrapRing) } as G;
  return {
    type: 'MultiPolygon',
    coordinates: (g as MultiPolygonGeometry).coordinates.map((poly) => poly.map(unwrapRing)),
  } as G;
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
export function centroidOf(g: PolygonGeometry | MultiPolygonGeometry): [number, number] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best = { area: -1, x: 0, y: 0 };
  for (const p of polys) {
    const c = ringAreaCentroid(p[0]!);
    if (c.area > best.area) best = c;
  }
  const lon = ((((best.x + 180) % 360) + 360) % 360) - 180;
  return [best.y, lon];
}

/** Small deterministic offset so partners placed at one country's centroid do not hide each other. */
export function jitter(id: string): [number, number] {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) | 0;
  const a = ((h >>> 0) % 360) * (Math.PI / 180);
  const r = 0.3 + (((h >>> 9) % 100) / 100) * 1.2;
  return [Math.sin(a) * r, Math.cos(a) * r];
}
