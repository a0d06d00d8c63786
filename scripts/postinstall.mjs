// Copies the State design system's static assets (CSS, Marianne fonts, icons, favicons) into the
// renderer's public folder, so the app bundles them and never fetches anything from a network.
// Idempotent and fast: skipped when the copied version matches the installed one.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'node_modules', '@codegouvfr', 'react-dsfr');
const src = join(pkgDir, 'dsfr');
const publicDir = join(root, 'src-renderer', 'public');
const dest = join(publicDir, 'dsfr');

if (!existsSync(src)) {
  console.log('postinstall: @codegouvfr/react-dsfr absent, nothing to copy.');
  process.exit(0);
}
mkdirSync(publicDir, { recursive: true });
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const stamp = join(dest, 'version.txt');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === version) process.exit(0);

mkdirSync(dest, { recursive: true });
// Only what the app uses: the full package folder weighs ~90 MB.
for (const rel of ['dsfr.min.css', 'fonts', 'icons', 'favicon', join('utility', 'icons', 'icons.min.css')]) {
  const target = join(dest, rel);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(src, rel), target, { recursive: true });
}
writeFileSync(join(dest, '.gitignore'), '*\n');
writeFileSync(stamp, version);
console.log(`postinstall: DSFR ${version} copied to src-renderer/public/dsfr`);
