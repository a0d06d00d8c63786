// Builds the State design system's CSS in two parts, so the login screen does not wait for all of it
// (issue 11: ≤ 150 KB before the login form is usable, on links down to 64 kbit/s):
// - dsfr/atlas-connexion.css: the core, the colour scheme and the components of the login screen, without fonts;
// - dsfr/atlas-polices.css: the Marianne faces the app uses (regular, medium, bold), loaded after the
//   first paint (text shows at once in the fallback font, then in Marianne).
// The full dsfr.min.css (every component) and the icons are loaded once logged in.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// In the DSFR's own order (later components override earlier ones).
const LOGIN_COMPONENTS = [
  'logo',
  'button',
  'form',
  'input',
  'select',
  'checkbox',
  'radio',
  'link',
  'tab',
  'alert',
  'modal',
  'footer',
  'header',
];
const FONTS = /url\(\.\.\/fonts\/Marianne-(Regular|Medium|Bold)\.woff2\)/;

const FONT_FACE = /@font-face\{[^}]*\}/g;
const BANNER = /\/\*![\s\S]*?\*\//g;

/** Reads `dsfrDir` (the package's dsfr folder) and writes the two files into `outDir` (public/dsfr). */
export function writeDsfrLoginCss(dsfrDir: string, outDir: string): void {
  const core = readFileSync(join(dsfrDir, 'core', 'core.main.min.css'), 'utf8');
  const faces = (core.match(FONT_FACE) ?? [])
    .filter((f) => FONTS.test(f) && !/font-style:italic/.test(f))
    // woff2 only: every browser the app supports reads it.
    .map((f) =>
      f.replace(/src:[^;}]*/, (src) => `src:${src.match(FONTS)![0].replace('../fonts/', 'fonts/')} format("woff2")`),
    );
  // Files of public/dsfr: core's urls are relative to dsfr/core/, components' to dsfr/component/<name>/.
  // The scheme holds the dark palette (core only names the variables).
  const scheme = readFileSync(join(dsfrDir, 'scheme', 'scheme.min.css'), 'utf8');
  const parts = [core.replace(FONT_FACE, '').replace(/url\(\.\.\//g, 'url('), scheme.replace(/url\(\.\.\//g, 'url(')];
  for (const c of LOGIN_COMPONENTS) {
    parts.push(
      readFileSync(join(dsfrDir, 'component', c, `${c}.main.min.css`), 'utf8').replace(/url\(\.\.\/\.\.\//g, 'url('),
    );
  }
  mkdirSync(outDir, { recursive: true });
  const banner = core.match(BANNER)?.[0] ?? '';
  writeFileSync(
    join(outDir, 'atlas-connexion.css'),
    `${banner}\n${parts.map((p) => p.replace(BANNER, '')).join('\n')}\n`,
  );
  writeFileSync(join(outDir, 'atlas-polices.css'), `${banner}\n${faces.join('\n')}\n`);
}
