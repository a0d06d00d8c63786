// Carte: offline basemap, partners as canvas circle markers (8,674 nationally stay smooth), countries
// shaded by number of projects. A marker opens its partnership. Online tiles: optional, off by default.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Partenariat } from '../../../src-shared/domain/partenariat';
import { nomPays } from '../../../src-shared/reference/pays';
import { useApp } from '../../core/context';
import { useRecords } from '../../core/data';
import { navigate } from '../../core/router';
import { formatInt } from '../../ui/format';
import { countryCentroids, loadSmallCountryCentroids, worldCountries } from './basemap';
import { ONLINE_TILES_URL } from '../../../src-shared/csp';
import { compareFr } from '../../ui/incomplete';
import { jitter } from '../../../src-shared/carte/geometrie';

const SHADES = ['#e3e3fd', '#cacafb', '#a1a1f8', '#6a6af4', '#000091'];
const CLASS_LIMITS = [1, 3, 10, 30];
const shadeFor = (n: number) => (n === 0 ? 'transparent' : SHADES[CLASS_LIMITS.filter((l) => n > l).length]!);

function positionOf(p: Partenariat): [number, number] | null {
  if (p.latitude !== null && p.longitude !== null) return [p.latitude, p.longitude];
  const c = countryCentroids().get(p.pays);
  if (!c) return null;
  const [dy, dx] = jitter(p.id);
  return [c[0] + dy, c[1] + dx];
}

export function CarteScreen() {
  const { user, collectiviteId } = useApp();
  const scoped = user.role === 'agent' && collectiviteId ? { collectiviteId } : undefined;
  const partenariats = useRecords('partenariat', scoped);
  // Fiches only shade the countries: read them once the markers are drawn, so the first render
  // does not wait for (nationally) 12,756 of them.
  const [markersDrawn, setMarkersDrawn] = useState(false);
  const fiches = useRecords('ficheProjet', scoped, { enabled: markersDrawn });
  const [tiles, setTiles] = useState(false);

  const byCountry = useMemo(() => {
    const m = new Map<string, { partenaires: number; projets: number }>();
    const pays = new Map<string, string>();
    for (const p of partenariats ?? []) {
      pays.set(p.id, p.pays);
      const e = m.get(p.pays) ?? { partenaires: 0, projets: 0 };
      e.partenaires++;
      m.set(p.pays, e);
    }
    for (const f of fiches ?? []) {
      const code = pays.get(f.partenariatId);
      if (code) m.get(code)!.projets++;
    }
    return m;
  }, [partenariats, fiches]);

  // Partners of countries missing from the small-scale map: fetch their centroids, then redraw.
  const [extraCentroids, setExtraCentroids] = useState(0);
  const [centroidsDone, setCentroidsDone] = useState(false);
  const unplacedList = useMemo(
    () => (partenariats ?? []).filter((p) => !positionOf(p)),
    [partenariats, extraCentroids],
  );
  useEffect(() => {
    if (!markersDrawn) return;
    if (!unplacedList.length) {
      setCentroidsDone(true);
      return;
    }
    let live = true;
    void loadSmallCountryCentroids(unplacedList.map((p) => p.pays)).then((n) => {
      if (!live) return;
      if (n) setExtraCentroids((k) => k + n);
      else setCentroidsDone(true);
    });
    return () => {
      live = false;
    };
  }, [markersDrawn, unplacedList]);
  // Marks the end of the map's deferred work (shading, small countries) for the benchmark (bench/ui.ts).
  const settled = centroidsDone && fiches !== undefined;
  useEffect(() => {
    if (settled) requestAnimationFrame(() => performance.mark('atlas-map-settled'));
  }, [settled]);
  const shown = useMemo(() => (partenariats ? [...partenariats] : undefined), [partenariats, extraCentroids]);
  const unplaced = unplacedList.length;
  const rows = [...byCountry.entries()].sort(
    (a, b) => b[1].projets - a[1].projets || compareFr(nomPays(a[0]), nomPays(b[0])),
  );

  return (
    <>
      <h1>Carte des partenariats</h1>
      <p>
        Chaque point est un partenaire : un disque plein pour une coopération décentralisée, un cercle vide pour une
        action extérieure (voir la légende) ; les pays sont colorés selon le nombre de fiches-projets. Cliquez sur un
        point pour ouvrir le partenariat. Le fond de carte est intégré à l’application et fonctionne hors ligne.
      </p>
      <div className="fr-toggle fr-mb-2w">
        <input
          type="checkbox"
          className="fr-toggle__input"
          id="carte-tuiles"
          checked={tiles}
          onChange={(e) => setTiles(e.target.checked)}
        />
        <label className="fr-toggle__label" htmlFor="carte-tuiles">
          Fond de carte détaillé en ligne (OpenStreetMap, nécessite une connexion)
        </label>
      </div>
      {partenariats === undefined ? (
        <p role="status">Chargement de la carte…</p>
      ) : (
        <LeafletMap
          partenariats={shown ?? partenariats}
          byCountry={byCountry}
          tiles={tiles}
          onDrawn={() => setMarkersDrawn(true)}
        />
      )}
      <p className="fr-mt-2w" data-testid="carte-resume">
        {formatInt(partenariats?.length ?? 0)} partenaire(s) dans {formatInt(byCountry.size)} pays.
        {unplaced > 0 &&
          ` ${formatInt(unplaced)} partenaire(s) d’un pays trop petit pour ce fond de carte ne sont pas placés : indiquez leur localisation dans le partenariat.`}
      </p>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-4">
          <h2 className="fr-h6" id="legende-points">
            Légende des points
          </h2>
          {/* Shape as well as colour (RGAA 3.1): a filled disc, an empty ring, each named. */}
          <ul className="fr-raw-list fr-mb-3w" aria-labelledby="legende-points" data-testid="legende-points">
            {(Object.keys(MARKER_STYLE) as Nature[]).map((n) => (
              <li key={n} style={{ display: 'flex', alignItems: 'center' }}>
                <svg
                  width="18"
                  height="18"
                  viewBox="0 0 18 18"
                  aria-hidden="true"
                  style={{ marginRight: 8, flex: 'none' }}
                >
                  <circle
                    cx="9"
                    cy="9"
                    r="6"
                    fill={MARKER_STYLE[n].fillColor}
                    stroke={MARKER_STYLE[n].color}
                    strokeWidth={MARKER_STYLE[n].weight}
                  />
                </svg>
                {MARKER_STYLE[n].legende}
              </li>
            ))}
          </ul>
          <h2 className="fr-h6">Légende (fiches-projets par pays)</h2>
          <ul className="fr-raw-list">
            {['1', '2 à 3', '4 à 10', '11 à 30', 'plus de 30'].map((l, i) => (
              <li key={l}>
                <span
                  aria-hidden="true"
                  style={{
                    display: 'inline-block',
                    width: 16,
                    height: 16,
                    background: SHADES[i],
                    border: '1px solid #666',
                    marginRight: 8,
                  }}
                />
                {l}
              </li>
            ))}
          </ul>
        </div>
        <div className="fr-col-12 fr-col-md-8 atlas-table-wrap">
          <table className="atlas-table">
            <caption>Répartition par pays (version textuelle de la carte)</caption>
            <thead>
              <tr>
                <th scope="col">Pays</th>
                <th scope="col" className="num">
                  Partenaires
                </th>
                <th scope="col" className="num">
                  Fiches-projets
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 50).map(([code, e]) => (
                <tr key={code}>
                  <td>{nomPays(code)}</td>
                  <td className="num">{formatInt(e.partenaires)}</td>
                  <td className="num">{formatInt(e.projets)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > 50 && <p className="fr-text--sm">Les 50 premiers pays sur {rows.length} sont affichés.</p>}
        </div>
      </div>
    </>
  );
}

type Nature = Partenariat['nature'];
/** Each nature's point, told apart by its shape (filled or empty) as well as its colour; the legend draws the same. */
const MARKER_STYLE: Record<Nature, { color: string; weight: number; fillColor: string; legende: string }> = {
  cooperation_decentralisee: {
    color: '#ffffff',
    weight: 1,
    fillColor: '#ce0500',
    legende: 'Disque plein rouge : coopération décentralisée',
  },
  action_exterieure: {
    color: '#18753c',
    weight: 2.5,
    fillColor: '#ffffff',
    legende: 'Cercle vide vert : action extérieure',
  },
};

function LeafletMap(props: {
  partenariats: Partenariat[];
  byCountry: Map<string, { projets: number }>;
  tiles: boolean;
  onDrawn(): void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const countriesLayer = useRef<L.GeoJSON | null>(null);
  const markers = useRef<L.FeatureGroup | null>(null);
  const tileLayer = useRef<L.TileLayer | null>(null);
  const renderer = useRef<L.Canvas | null>(null);
  const byId = useRef(new Map<L.Layer, Partenariat>());
  /** The marker of each placed partner, kept across renders: only new or changed partners are redrawn. */
  const markerOf = useRef(new Map<string, { p: Partenariat; mk: L.CircleMarker }>());
  const onDrawn = useRef(props.onDrawn);
  onDrawn.current = props.onDrawn;

  useEffect(() => {
    if (!el.current) return;
    renderer.current = L.canvas({ padding: 0.5 });
    const m = L.map(el.current, {
      preferCanvas: true,
      renderer: renderer.current,
      worldCopyJump: false,
      minZoom: 1,
      maxZoom: 10,
      center: [20, 10],
      zoom: 2,
      attributionControl: true,
      keyboard: true,
    });
    m.attributionControl.setPrefix('');
    m.attributionControl.addAttribution('Fond : Natural Earth (domaine public)');
    // The map's canvas renderer (preferCanvas) draws the countries too.
    countriesLayer.current = L.geoJSON(worldCountries(), {
      interactive: false,
      style: () => ({ color: '#7b7b7b', weight: 0.6, fillColor: 'transparent', fillOpacity: 0.85 }),
    }).addTo(m);
    // One tooltip and one click handler for the whole group: 8,674 markers stay cheap to create.
    const group = L.featureGroup().addTo(m);
    const tip = L.tooltip({ direction: 'top', offset: [0, -4] });
    group.on('mouseover', (e: L.LeafletEvent) => {
      const p = byId.current.get(e.propagatedFrom as L.Layer);
      if (p)
        tip
          .setLatLng((e.propagatedFrom as L.CircleMarker).getLatLng())
          .setContent(`${p.nomPartenaire} (${nomPays(p.pays)})`)
          .addTo(m);
    });
    group.on('mouseout', () => tip.remove());
    group.on('click', (e: L.LeafletEvent) => {
      const p = byId.current.get(e.propagatedFrom as L.Layer);
      if (p) navigate(`/partenariats/${p.id}`);
    });
    markers.current = group;
    map.current = m;
    el.current.querySelector('.leaflet-container, .leaflet-pane')?.setAttribute('aria-hidden', 'true');
    return () => {
      m.remove();
      map.current = null;
      markerOf.current.clear();
      byId.current.clear();
    };
  }, []);

  useEffect(() => {
    countriesLayer.current?.setStyle((f) => {
      const code = (f?.properties as { code: string | null } | undefined)?.code;
      const n = code ? (props.byCountry.get(code)?.projets ?? 0) : 0;
      return { color: '#7b7b7b', weight: 0.6, fillColor: shadeFor(n), fillOpacity: n ? 0.85 : 0 };
    });
  }, [props.byCountry]);

  useEffect(() => {
    const layer = markers.current;
    if (!layer || !renderer.current) return;
    // Recreating 9,000 markers when a few partners change (or the small countries' centroids arrive)
    // froze the map for a few hundred milliseconds: only what changed is removed or added.
    const seen = new Set<string>();
    for (const p of props.partenariats) {
      seen.add(p.id);
      const had = markerOf.current.get(p.id);
      if (had && had.p === p) continue;
      const pos = positionOf(p);
      if (had) {
        layer.removeLayer(had.mk);
        byId.current.delete(had.mk);
        markerOf.current.delete(p.id);
      }
      if (!pos) continue;
      const { color, weight, fillColor } = MARKER_STYLE[p.nature];
      const mk = L.circleMarker(pos, {
        renderer: renderer.current,
        radius: 4,
        color,
        weight,
        fillColor,
        fillOpacity: 0.9,
      });
      byId.current.set(mk, p);
      markerOf.current.set(p.id, { p, mk });
      layer.addLayer(mk);
    }
    for (const [id, { mk }] of markerOf.current) {
      if (seen.has(id)) continue;
      layer.removeLayer(mk);
      byId.current.delete(mk);
      markerOf.current.delete(id);
    }
    // Marks the first complete render for the benchmark (bench/ui.ts), then lets the shading load.
    requestAnimationFrame(() => {
      performance.mark('atlas-map-rendered');
      onDrawn.current();
    });
  }, [props.partenariats]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (props.tiles && !tileLayer.current) {
      tileLayer.current = L.tileLayer(ONLINE_TILES_URL, {
        attribution: '© contributeurs OpenStreetMap',
        maxZoom: 10,
      }).addTo(m);
      tileLayer.current.bringToBack();
    } else if (!props.tiles && tileLayer.current) {
      tileLayer.current.remove();
      tileLayer.current = null;
    }
  }, [props.tiles]);

  return (
    <div
      ref={el}
      className="atlas-map"
      role="region"
      aria-label="Carte des partenaires (utilisez le tableau ci-dessous pour une version textuelle)"
      data-testid="carte"
    />
  );
}
