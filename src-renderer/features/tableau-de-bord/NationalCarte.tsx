// The campaign's progress per région on a map: the app's offline basemap (Natural Earth, no région
// outlines), one disc per région at its centre, coloured by its share of collectivités à jour and labelled
// with its name and that share. The five régions d'outre-mer sit in frames off the Atlantic coast, out of
// scale, as on printed maps of France. The table below the map says the same in text (RGAA 1.1, 3.1).
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { navigate } from '../../core/router';
import { worldCountries } from '../carte/basemap';
import { classePart, part, type LigneRegion } from './national';

/** Approximate centre of each metropolitan région [lat, lon]. */
const CENTRES: Readonly<Record<string, [number, number]>> = {
  '11': [48.7, 2.5],
  '24': [47.5, 1.7],
  '27': [47.2, 4.8],
  '28': [49.1, 0.1],
  '32': [49.9, 2.8],
  '44': [48.7, 5.6],
  '52': [47.4, -0.8],
  '53': [48.2, -2.9],
  '75': [45.2, 0.2],
  '76': [43.7, 2.2],
  '84': [45.5, 4.6],
  '93': [43.9, 6.1],
  '94': [42.15, 9.1],
};
/** The régions d'outre-mer, in frames in the Atlantic, west of Brittany (out of scale: their real place is far away). */
const OUTRE_MER: readonly string[] = ['01', '02', '03', '04', '06'];
const CADRE_LON = -12.8;
const cadreLat = (i: number) => 50.4 - i * 1.9;

/** Colours of the share classes (0–24 %, 25–49 %, 50–74 %, 75–100 %), light to dark, and of « no collectivité ». */
export const COULEURS_CLASSES = ['#f4c7c3', '#f5a35b', '#6fb37e', '#18753c'] as const;
export const LIBELLES_CLASSES = ['moins de 25 %', '25 à 49 %', '50 à 74 %', '75 % et plus'] as const;
const COULEUR_VIDE = '#929292';

let proches: ReturnType<typeof worldCountries> | null = null;
/** Countries whose extent meets the map's (Western Europe, the Maghreb). */
function voisins() {
  if (proches) return proches;
  proches = worldCountries().filter((f) => {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return polys.some((poly) => poly[0]!.some(([lon, lat]) => lon! > -20 && lon! < 20 && lat! > 33 && lat! < 58));
  });
  return proches;
}

function position(code: string): [number, number] | null {
  const i = OUTRE_MER.indexOf(code);
  if (i >= 0) return [cadreLat(i), CADRE_LON];
  return CENTRES[code] ?? null;
}

export function NationalCarte({ regions }: { regions: readonly LigneRegion[] }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);

  // The map is drawn once the figures and the table are painted (the next task after the first frame):
  // they come first, the map a moment later.
  const [go, setGo] = useState(false);
  useEffect(() => {
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => setGo(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    if (!go || !el.current) return;
    // A still overview: no drag or zoom (the table is the way through for the keyboard).
    const m = L.map(el.current, {
      preferCanvas: true,
      zoomControl: false,
      dragging: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      boxZoom: false,
      keyboard: false,
      touchZoom: false,
      attributionControl: true,
      zoomSnap: 0.25,
    });
    // The view first: layers are projected when added.
    m.fitBounds(
      [
        [41.2, -13.8],
        [51.3, 9.8],
      ],
      { padding: [4, 4] },
    );
    m.attributionControl.setPrefix('');
    m.attributionControl.addAttribution('Fond : Natural Earth (domaine public)');
    // Only the countries around metropolitan France are drawn (a few instead of 177).
    L.geoJSON(voisins(), {
      interactive: false,
      style: () => ({ color: '#7b7b7b', weight: 0.8, fillColor: '#f6f6f6', fillOpacity: 1 }),
    }).addTo(m);
    for (let i = 0; i < OUTRE_MER.length; i++) {
      const lat = cadreLat(i);
      L.rectangle(
        [
          [lat - 0.5, CADRE_LON - 0.75],
          [lat + 0.5, CADRE_LON + 0.75],
        ],
        { interactive: false, color: '#3a3a3a', weight: 1, dashArray: '4 3', fill: false },
      ).addTo(m);
    }
    layer.current = L.layerGroup().addTo(m);
    el.current.querySelector('.leaflet-pane')?.setAttribute('aria-hidden', 'true');
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
      layer.current = null;
    };
  }, [go]);

  useEffect(() => {
    const g = layer.current;
    if (!go || !g) return;
    g.clearLayers();
    for (const r of regions) {
      if (!r.code) continue;
      const pos = position(r.code);
      if (!pos) continue;
      const k = classePart(r);
      const mk = L.circleMarker(pos, {
        radius: 9,
        color: '#161616',
        weight: 1.5,
        fillColor: k === null ? COULEUR_VIDE : COULEURS_CLASSES[k],
        fillOpacity: 1,
      });
      // Metropolitan régions are told by their place, the framed ones by their name as well.
      const outreMer = OUTRE_MER.includes(r.code);
      mk.bindTooltip(`${outreMer ? `${r.nom} : ` : ''}${part(r.aJour, r.total)}`, {
        permanent: true,
        direction: 'right',
        offset: [8, 0],
        className: `atlas-carte-region atlas-carte-region-${r.code}`,
      });
      const code = r.code;
      mk.on('click', () => navigate(`/tableau-de-bord/region/${code}`));
      g.addLayer(mk);
    }
  }, [go, regions]);

  return (
    <div
      ref={el}
      className="atlas-map"
      style={{ height: '34rem', minHeight: 0 }}
      role="img"
      aria-label="Carte des régions : part des collectivités à jour de chaque région (le tableau ci-dessous en donne le détail)"
      data-testid="carte-regions"
    />
  );
}
