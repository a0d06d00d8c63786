// Place a partner by clicking the map (partnership form). Keyboard users type latitude/longitude instead.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { worldCountries } from './basemap';

export function LocationPicker(props: {
  lat: number | null;
  lon: number | null;
  onPick(lat: number, lon: number): void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const marker = useRef<L.CircleMarker | null>(null);
  const onPick = useRef(props.onPick);
  onPick.current = props.onPick;

  useEffect(() => {
    if (!el.current) return;
    const r = L.canvas();
    const m = L.map(el.current, {
      preferCanvas: true,
      renderer: r,
      center: [15, 10],
      zoom: 1,
      minZoom: 1,
      maxZoom: 10,
    });
    m.attributionControl.setPrefix('');
    L.geoJSON(worldCountries(), {
      interactive: false,
      style: { color: '#7b7b7b', weight: 0.6, fillColor: '#e3e3fd', fillOpacity: 0.6 },
    }).addTo(m);
    m.on('click', (e: L.LeafletMouseEvent) => {
      const lon = ((((e.latlng.lng + 180) % 360) + 360) % 360) - 180;
      onPick.current(Math.round(e.latlng.lat * 1e5) / 1e5, Math.round(lon * 1e5) / 1e5);
    });
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    marker.current?.remove();
    marker.current = null;
    if (props.lat !== null && props.lon !== null && Number.isFinite(props.lat) && Number.isFinite(props.lon)) {
      marker.current = L.circleMarker([props.lat, props.lon], {
        radius: 7,
        color: '#fff',
        weight: 2,
        fillColor: '#ce0500',
        fillOpacity: 1,
      }).addTo(m);
    }
  }, [props.lat, props.lon]);

  return (
    <div
      ref={el}
      style={{ height: 260 }}
      className="fr-mb-2w"
      role="region"
      data-testid="choix-localisation"
      aria-label="Carte pour placer le partenaire d’un clic ; au clavier, saisissez la latitude et la longitude ci-dessous"
    />
  );
}
