// Service worker of the web host: keeps the app shell (page, scripts, styles, fonts, icons) so the
// app opens and reloads without a network. Data never goes through here (IndexedDB and /api/ are
// left alone).
// - Pages: cache first. A link that swallows packets (captive portal, dead 4G) never answers and never
//   fails, so waiting for the network (even with a timeout) delays every start on a bad link; the
//   network's copy refreshes the cache in the background, once all the files of its version are
//   cached: a new version shows on the next load, and works offline.
// - Built files (sw-manifest.json, written by the build): the login screen's files are cached at
//   install; the rest when the page asks (`precache` message, sent after the first sync so it does not
//   compete with the login and the first sync on a slow link) or when first fetched.
// - Other files: cache first.
const CACHE = 'atlas-shell-v2';

async function manifest() {
  try {
    const res = await fetch('./sw-manifest.json', { cache: 'no-store' });
    return res.ok ? await res.json() : { shell: [], all: [] };
  } catch {
    return { shell: [], all: [] };
  }
}

/** Caches what is not cached yet; true when everything is. */
async function cacheMissing(urls) {
  const cache = await caches.open(CACHE);
  let all = true;
  for (const url of urls) {
    if (await cache.match(url)) continue;
    // One by one: a failure (offline again) leaves the rest for the next request.
    const res = await fetch(url).catch(() => null);
    if (res && res.ok) await cache.put(url, res);
    else all = false;
  }
  return all;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(['./', './index.html']);
    const m = await manifest();
    await cacheMissing(m.shell.map((f) => `./${f}`));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'precache') {
    event.waitUntil(manifest().then((m) => cacheMissing(m.all.map((f) => `./${f}`))));
  }
});

/**
 * The cached page at once; the network's copy refreshes the cache in the background (a new version
 * shows on the next load). Without a cached page (first visit), the network.
 */
async function navigate(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match('./index.html');
  const cachedText = cached ? cached.clone().text() : Promise.resolve(null);
  const network = fetch(event.request);
  event.waitUntil(network.then((res) => updatePage(cache, res.clone(), cachedText)).catch(() => undefined));
  return cached || network;
}

/**
 * A new page replaces the cached one only once every file of its version is cached: a reload offline
 * must never get a page whose scripts are missing.
 */
async function updatePage(cache, res, cachedText) {
  if (!res.ok) return;
  const before = await cachedText;
  if (before !== null) {
    if (before === (await res.clone().text())) return;
    const m = await manifest();
    if (!(await cacheMissing(m.all.map((f) => `./${f}`)))) return;
  }
  await cache.put('./index.html', res);
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/updates/')) return;
  if (url.pathname.endsWith('/sw-manifest.json')) return;

  if (req.mode === 'navigate') {
    event.respondWith(navigate(event));
    return;
  }

  event.respondWith(
    caches.match(req).then((hit) => hit || fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        void caches.open(CACHE).then((c) => c.put(req, copy));
      }
      return res;
    })),
  );
});
