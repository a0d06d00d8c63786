// The offline basemap: rings crossing ±180° are unwrapped so Leaflet draws no band across the world.
import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { centroidOf, countryCentroids, unwrapRing, worldCountries } from '../../../src-renderer/features/carte/basemap';

const maxJump = (ring: Position[]) => ring.slice(1).reduce((m, p, i) => Math.max(m, Math.abs(p[0]! - ring[i]![0]!)), 0);

describe('unwrapRing', () => {
  it('leaves a ring that does not cross the antimeridian unchanged', () => {
    const ring = [
      [2, 48],
      [3, 48],
      [3, 49],
      [2, 49],
      [2, 48],
    ];
    expect(unwrapRing(ring)).toEqual(ring);
  });

  it('continues eastwards past +180° instead of jumping to -180°', () => {
    expect(
      unwrapRing([
        [178, -17],
        [-179, -17],
        [-179, -16],
        [178, -16],
        [178, -17],
      ]),
    ).toEqual([
      [178, -17],
      [181, -17],
      [181, -16],
      [178, -16],
      [178, -17],
    ]);
  });

  it('continues westwards past -180° instead of jumping to +180°', () => {
    expect(
      unwrapRing([
        [-178, 65],
        [179, 65],
        [179, 66],
        [-178, 66],
      ]),
    ).toEqual([
      [-178, 65],
      [-181, 65],
      [-181, 66],
      [-178, 66],
    ]);
  });

  it('handles several crossings in one ring, keeping latitudes', () => {
    const out = unwrapRing([
      [170, 0],
      [-170, 0],
      [170, 1],
      [-170, 1],
    ]);
    expect(out).toEqual([
      [170, 0],
      [190, 0],
      [170, 1],
      [190, 1],
    ]);
    expect(maxJump(out)).toBeLessThanOrEqual(180);
  });

  it('copes with degenerate rings', () => {
    expect(unwrapRing([])).toEqual([]);
    expect(unwrapRing([[10, 20]])).toEqual([[10, 20]]);
  });
});

describe('world basemap', () => {
  it('has no ring with a jump across the map (Russia, Fiji, Antarctica included)', () => {
    const countries = worldCountries();
    expect(countries.length).toBeGreaterThan(150);
    const names = new Set(countries.map((c) => c.properties.code));
    for (const code of ['RU', 'FJ', 'AQ', 'FR', 'ML', 'SN']) expect(names.has(code), code).toBe(true);
    for (const c of countries) {
      const polys = c.geometry.type === 'Polygon' ? [c.geometry.coordinates] : c.geometry.coordinates;
      for (const ring of polys.flat()) expect(maxJump(ring), c.properties.name).toBeLessThanOrEqual(180);
    }
  });

  it('puts centroids back in [-180, 180] on the right country', () => {
    const centroids = countryCentroids();
    const [latFr, lonFr] = centroids.get('FR')!;
    expect(latFr).toBeGreaterThan(44);
    expect(latFr).toBeLessThan(49);
    expect(lonFr).toBeGreaterThan(0);
    expect(lonFr).toBeLessThan(5);
    const [latFj, lonFj] = centroids.get('FJ')!;
    expect(latFj).toBeGreaterThan(-20);
    expect(latFj).toBeLessThan(-15);
    expect(Math.abs(lonFj)).toBeGreaterThan(175);
    for (const [code, [lat, lon]] of centroids) {
      expect(lon, code).toBeGreaterThanOrEqual(-180);
      expect(lon, code).toBeLessThanOrEqual(180);
      expect(Math.abs(lat), code).toBeLessThanOrEqual(90);
    }
    // An unwrapped ring east of 180° comes back west: centre of [179, 183] is 181 → -179.
    expect(
      centroidOf({
        type: 'Polygon',
        coordinates: [
          [
            [179, 0],
            [183, 0],
            [183, 2],
            [179, 2],
            [179, 0],
          ],
        ],
      }),
    ).toEqual([1, -179]);
  });
});
