// Content-Security-Policy pieces shared by the server (the app served to browsers) and the desktop
// shell (the app served on app://): one definition, so both policies allow exactly the same things.

/** Hashes of the color-scheme <style> elements react-dsfr injects (no 'unsafe-inline'). */
export const DSFR_STYLE_HASHES: readonly string[] = [
  "'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY='",
  "'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w='",
];

/** Optional online basemap (off by default; the offline world basemap is bundled). */
export const ONLINE_TILES_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const ONLINE_TILES_ORIGIN = new URL(ONLINE_TILES_URL.replace(/\{[xyz]\}/g, '0')).origin;

/** img-src of both policies: bundled images, generated ones, and the optional online tiles. */
export const IMG_SRC = `img-src 'self' data: blob: ${ONLINE_TILES_ORIGIN}`;
