// « Exports » (issue 15): the DAECT exports the national copy of the fiches-projets as CSV and everything as
// JSON, offline from the device's copy; the downloaded files are read back and compared with the server's
// data (every record of the scope, every field). The SGAR, who does not manage the élus et cadres, exports
// none of them. The progress is shown while a file is built; axe in both themes.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ENTITY_NAMES, fieldColumn, type EntityName } from '../../src-shared/registry';
import { exportableEntities } from '../../src-shared/exports';
import { exportColumns, type Lookups } from '../../src-renderer/features/exports/columns';
import { csvObjects } from '../support/csv';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  serverScopeCopy,
  shot,
  syncNow,
  test,
  waitSynced,
  type E2EUser,
} from './support/fixtures';

type Copy = Record<string, Record<string, Record<string, unknown>>>;
type Scope = { role: 'sgar'; region: string } | { role: 'daect' };

async function loginAnyRole(page: Page, user: E2EUser): Promise<void> {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await waitSynced(page);
}

/** Keeps, from before any app code runs, every text the export's progress showed. */
async function watchProgress(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __progress: string[] };
    w.__progress = [];
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="export-avancement"]')?.textContent;
      const bar = document.querySelector('progress#export-barre');
      if (t && bar && w.__progress[w.__progress.length - 1] !== t) w.__progress.push(t);
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

/** Clicks an export button and reads the downloaded file (UTF-8, BOM kept). */
async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync((await dl.path())!));
  await expect(page.getByTestId('export-message')).toHaveText(/^Export enregistré/);
  return { name: dl.suggestedFilename(), text };
}

/** Values compared whatever the order of object keys (jsonb orders them its own way). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/** Differences between the exported records of an entity and the server's (empty when identical). */
function diffRecords(entity: string, server: Record<string, Record<string, unknown>>, got: Record<string, unknown>[]) {
  const out: string[] = [];
  const byId = new Map(got.map((r) => [String(r.id), r]));
  for (const [id, rec] of Object.entries(server)) {
    const g = byId.get(id);
    if (!g) out.push(`${entity} ${id}: absent de l’export`);
    else
      for (const [f, v] of Object.entries(rec))
        if (canonical(v) !== canonical(g[f])) out.push(`${entity} ${id}.${f}: ${canonical(v)} ≠ ${canonical(g[f])}`);
  }
  for (const id of byId.keys()) if (!server[id]) out.push(`${entity} ${id}: absent du serveur`);
  return out;
}

/** The expected CSV rows, built with the screen's columns from the server's records. */
function expectedCsv(entity: EntityName, copy: Copy): Record<string, string>[] {
  const map = <T>(e: string, f: (r: Record<string, unknown>) => T) =>
    new Map(Object.values(copy[e] ?? {}).map((r) => [String(r.id), f(r)]));
  const lookups: Lookups = {
    collectivite: map('collectivite', (r) => ({ nom: String(r.nom), code: String(r.code) })),
    partenariat: map('partenariat', (r) => ({ nomPartenaire: String(r.nomPartenaire), pays: String(r.pays) })),
    ficheProjet: map('ficheProjet', (r) => String(r.intitule)),
    declarationApd: map('declarationApd', (r) => Number(r.annee)),
    campagne: map('campagne', (r) => Number(r.annee)),
    entreeReference: map('entreeReference', (r) => ({
      liste: String(r.liste),
      code: String(r.code),
      libelle: String(r.libelle),
    })),
  };
  const cols = exportColumns(entity, lookups);
  // The same cell rules as the file (ui/csv.ts), read back as text.
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? ''
      : typeof v === 'number'
        ? String(v).replace('.', ',')
        : typeof v === 'boolean'
          ? v
            ? 'oui'
            : 'non'
          : /^[=+\-@\t\r]/.test(String(v))
            ? `'${String(v)}`
            : String(v);
  return Object.values(copy[entity] ?? {}).map((r) =>
    Object.fromEntries(cols.map((c) => [c.header, cell(c.value(r))])),
  );
}

/**
 * Exports, then reads the server's copy of the scope: the file must equal it. Other specs share the server
 * and may add records between the device's sync and the server's read: then sync and export again.
 */
async function exportMatchingServer<T>(
  page: Page,
  scope: Scope,
  run: () => Promise<T>,
  diff: (file: T, copy: Copy) => string[],
): Promise<{ file: T; copy: Copy }> {
  let last: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt) await syncNow(page);
    const file = await run();
    const copy = await serverScopeCopy(scope);
    last = diff(file, copy);
    if (!last.length) return { file, copy };
  }
  throw new Error(`L’export diffère du serveur :\n${last.slice(0, 20).join('\n')}`);
}

test('DAECT : les fiches-projets en CSV et tout en JSON, identiques aux données nationales du serveur', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const daect = await createUser({ role: 'daect' });
  await watchProgress(page);
  await loginAnyRole(page, daect);
  await page.getByRole('link', { name: 'Exports', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exports');
  await expect(page.getByTestId('exports-donnees-personnelles')).toHaveText(/contiennent des données personnelles/);
  await expect(page.getByTestId('export-ficheProjet')).not.toContainText('Comptage');

  // The fiches-projets, as CSV.
  const csv = await exportMatchingServer(
    page,
    { role: 'daect' },
    () => download(page, 'Exporter les fiches-projets en CSV'),
    (f, copy) => {
      const { rows } = csvObjects(f.text);
      const expected = expectedCsv('ficheProjet', copy);
      const got = new Map(rows.map((r) => [r.Identifiant, r]));
      const out: string[] = [];
      if (rows.length !== expected.length) out.push(`${rows.length} lignes, ${expected.length} fiches sur le serveur`);
      for (const e of expected) {
        const g = got.get(e.Identifiant!);
        if (!g) out.push(`fiche ${e.Identifiant}: absente du fichier`);
        else
          for (const [h, v] of Object.entries(e))
            if (g[h] !== v) out.push(`fiche ${e.Identifiant} « ${h} »: ${g[h]} ≠ ${v}`);
      }
      return out;
    },
  );
  expect(csv.file.name).toMatch(/^atlas-fiches-projets-national-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(csv.file.text.startsWith('\uFEFF')).toBe(true);
  const { headers, rows } = csvObjects(csv.file.text);
  const fiches = Object.values(csv.copy.ficheProjet!);
  expect(fiches.length).toBeGreaterThan(0);
  expect(rows).toHaveLength(fiches.length);
  expect(headers).toEqual(expect.arrayContaining(['Collectivité', 'Code de la collectivité', 'Partenaire', 'Pays']));
  // Read as people read them, independently of the screen's code: dates JJ/MM/AAAA, the name of the collectivité.
  for (const f of fiches) {
    const row = rows.find((r) => r.Identifiant === f.id)!;
    expect(row[fieldColumn('ficheProjet', 'intitule')]).toBe(f.intitule);
    const [y, m, d] = String(f.dateDebut).split('-');
    expect(row[fieldColumn('ficheProjet', 'dateDebut')]).toBe(`${d}/${m}/${y}`);
    expect(row.Collectivité).toBe(csv.copy.collectivite![String(f.collectiviteId)]!.nom);
  }
  // The progress was shown: « n / total fiches-projets ».
  const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  expect(seen.some((t) => /^[\d  ]+ \/ [\d  ]+ fiches-projets$/.test(t))).toBe(true);
  // The clicked button was disabled meanwhile: the focus is on the sentence that says the file was saved.
  await expect(page.getByTestId('export-message')).toBeFocused();
  await shot(page, 'exports-1-csv-enregistre');

  // Everything, as JSON: every record of every entity of the national scope, every field, contacts included.
  const json = await exportMatchingServer(
    page,
    { role: 'daect' },
    async () => {
      const f = await download(page, 'Tout exporter en JSON');
      return {
        name: f.name,
        json: JSON.parse(f.text) as Record<string, unknown> & { entities: Record<string, Record<string, unknown>[]> },
      };
    },
    (f, copy) => ENTITY_NAMES.flatMap((e) => diffRecords(e, copy[e] ?? {}, f.json.entities[e] ?? [])),
  );
  expect(json.file.name).toMatch(/^atlas-export-national-\d{4}-\d{2}-\d{2}\.json$/);
  expect(json.file.json).toMatchObject({
    format: 'atlas-hors-ligne/export',
    formatVersion: 1,
    scope: { role: 'daect', scope: 'national', region: null },
  });
  expect(Date.now() - Date.parse(String(json.file.json.exportedAt))).toBeLessThan(120_000);
  expect(Object.keys(json.file.json.entities).sort()).toEqual([...ENTITY_NAMES].sort());
  expect(Object.keys(json.copy.contact!).length).toBeGreaterThan(0);
  const seenJson = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  expect(seenJson.some((t) => /^[\d  ]+ \/ [\d  ]+ enregistrements$/.test(t))).toBe(true);

  // axe, in both themes.
  await expectNoAxeViolations(page, 'exports (clair)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exports');
  await expect(page.getByTestId('export-ficheProjet')).not.toContainText('Comptage');
  await expectNoAxeViolations(page, 'exports (sombre)');
  await shot(page, 'exports-2-sombre');
});

test('SGAR : les exports de la région ne contiennent aucun élu ni cadre (données personnelles)', async ({ page }) => {
  test.setTimeout(120_000);
  const sgar = await createUser({ role: 'sgar', region: '53' });
  await watchProgress(page);
  await loginAnyRole(page, sgar);
  await page.getByRole('link', { name: 'Exports', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exports');
  await expect(page.getByTestId('exports-donnees-personnelles')).toHaveText(/élus et cadres ne sont pas exportés/);
  await expect(page.getByRole('button', { name: /élus et cadres/ })).toHaveCount(0);
  await shot(page, 'exports-3-sgar');

  const scope = { role: 'sgar' as const, region: '53' };
  const entities = exportableEntities('sgar');
  const { file, copy } = await exportMatchingServer(
    page,
    scope,
    async () => {
      const f = await download(page, 'Tout exporter en JSON');
      return {
        ...f,
        json: JSON.parse(f.text) as { scope: unknown; entities: Record<string, Record<string, unknown>[]> },
      };
    },
    (f, c) => entities.flatMap((e) => diffRecords(e, c[e] ?? {}, f.json.entities[e] ?? [])),
  );
  expect(file.name).toMatch(/^atlas-export-region-53-\d{4}-\d{2}-\d{2}\.json$/);
  expect(file.json.scope).toMatchObject({ role: 'sgar', scope: 'region', region: '53', label: 'Région Bretagne' });
  expect(Object.keys(file.json.entities)).not.toContain('contact');
  // The région has élus et cadres on the server (and on this device): none of them is in the file.
  const contacts = Object.values(copy.contact!);
  expect(contacts.length).toBeGreaterThan(0);
  for (const c of contacts) {
    expect(file.text).not.toContain(String(c.courriel));
  }
  // Every other entity of the région is there, record for record (checked above), the fiches-projets too.
  expect(file.json.entities.ficheProjet!.length).toBe(Object.keys(copy.ficheProjet!).length);
  await expectNoAxeViolations(page, 'exports SGAR (clair)');
});
