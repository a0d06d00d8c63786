// The public Atlas's map: a progressive enhancement of /atlas/carte, whose table already gives everything without
// JavaScript. Draws the app's offline basemap (/atlas/carte/fond.json) and the page's partners
// (/atlas/carte/points.json with the page's filters) with Leaflet, grouped by leaflet.markercluster. A file of its
// own, loaded with `defer`: the Content-Security-Policy allows no inline script.
(function () {
  'use strict';
  var el = document.getElementById('carte');
  var L = window.L;
  if (!el || !L || !L.markerClusterGroup || !window.fetch) return;
  var aide = document.getElementById('carte-aide');
  el.hidden = false;
  if (aide) aide.hidden = false;

  var map = L.map(el, { minZoom: 1, maxZoom: 10, center: [20, 10], zoom: 2, worldCopyJump: false });
  map.attributionControl.setPrefix('');
  map.attributionControl.addAttribution('Fond : Natural Earth (domaine public)');

  function json(url) {
    return fetch(url, { credentials: 'omit' }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  function popup(p) {
    var box = document.createElement('div');
    var nom = document.createElement('strong');
    nom.textContent = p[3];
    box.appendChild(nom);
    box.appendChild(document.createTextNode(' (' + p[4] + ')'));
    box.appendChild(document.createElement('br'));
    box.appendChild(document.createTextNode((p[2] ? 'Coopération décentralisée' : 'Action extérieure') + ' de '));
    var a = document.createElement('a');
    a.href = p[6];
    a.textContent = p[5];
    box.appendChild(a);
    return box;
  }

  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
    var outer = document.createElement('div');
    var span = document.createElement('span');
    span.textContent = String(n);
    var sr = document.createElement('span');
    sr.className = 'fr-sr-only';
    sr.textContent = n > 1 ? ' partenaires' : ' partenaire';
    span.appendChild(sr);
    outer.appendChild(span);
    return L.divIcon({ html: outer, className: 'marker-cluster marker-cluster-' + size, iconSize: L.point(40, 40) });
  }

  Promise.all([json(el.getAttribute('data-fond')), json(el.getAttribute('data-points'))])
    .then(function (res) {
      L.geoJSON(res[0], {
        interactive: false,
        style: function () {
          return { color: '#7b7b7b', weight: 0.6, fillColor: '#ffffff', fillOpacity: 1 };
        },
      }).addTo(map);
      var group = L.markerClusterGroup({
        chunkedLoading: true,
        showCoverageOnHover: false,
        maxClusterRadius: 50,
        iconCreateFunction: clusterIcon,
      });
      var markers = res[1].points.map(function (p) {
        var coop = p[2] === 1;
        var m = L.circleMarker([p[0], p[1]], {
          radius: 6,
          color: coop ? '#ffffff' : '#18753c',
          weight: coop ? 1 : 2.5,
          fillColor: coop ? '#ce0500' : '#ffffff',
          fillOpacity: 0.9,
        });
        m.bindPopup(function () {
          return popup(p);
        });
        return m;
      });
      group.addLayers(markers);
      map.addLayer(group);
      el.setAttribute('data-points-charges', String(markers.length));
    })
    .catch(function () {
      el.hidden = true;
      if (aide)
        aide.textContent = 'La carte n’a pas pu être chargée : le tableau ci-dessous donne les mêmes informations.';
    });
})();
