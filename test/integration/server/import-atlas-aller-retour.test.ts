// The round trip: the small demo data exported as the app exports it (features/exports: the partenariats and
// fiches-projets CSV, French Excel), imported into an empty server, gives the same records field by field —
// the same ids, since the exports carry them. Contacts are personal data and not part of an import: a fiche's
// référent is the one field that does not travel, and the import marks what it writes (reprisLe).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportColumns, lookupRow, type Lookups } from '../../../src-renderer/features/exports/columns';
import { toCsv } from '../../../src-renderer/ui/csv';
import { importAtlas, loadSource } from '../../../src-server/import-atlas/run';
import { TABLE_DEFS } from '../../../src-server/sync/tables';
import { startTestServer, type TestServer } from '../helpers/testServer';

let a: TestServer;
let b: TestServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aller-retour-'));
beforeAll(async () => {
  a = await startTestServer({ seed: 'small' });
  b = await startTestServer({ seed: 'none' });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const live = (s: TestServer, table: string) =>
  s.internals.db.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE NOT deleted ORDER BY "id"`);

it('export CSV → import : les mêmes partenariats et fiches-projets, champ par champ', async () => {
  const lookups: Partial<Lookups> = {};
  for (const [name, table] of [
    ['collectivite', 'collectivite'],
    ['partenariat', 'partenariat'],
    ['entreeReference', 'entree_reference'],
  ] as const)
    (lookups as Record<string, Map<string, unknown>>)[name] = new Map(
      (await live(a, table)).map((r) => lookupRow(name, r)),
    );
  const parts = await live(a, 'partenariat');
  const fiches = await live(a, 'fiche_projet');
  expect(parts.length).toBeGreaterThan(3);
  expect(fiches.length).toBeGreaterThan(3);
  fs.writeFileSync(path.join(tmp, 'partenariats.csv'), toCsv(parts, exportColumns('partenariat', lookups)));
  fs.writeFileSync(path.join(tmp, 'fiches.csv'), toCsv(fiches, exportColumns('ficheProjet', lookups)));

  const deps = { db: b.internals.db, sync: b.internals.sync };
  const p = await importAtlas(deps, await loadSource({ path: path.join(tmp, 'partenariats.csv') }), { dryRun: false });
  expect(p.report.refusees).toEqual([]);
  expect(p.report.fichier.correspondance).toContain('Partenariats');
  const f = await importAtlas(deps, await loadSource({ path: path.join(tmp, 'fiches.csv') }), { dryRun: false });
  expect(f.report.refusees).toEqual([]);
  expect(f.report.fichier.correspondance).toContain('Fiches-projets');
  expect(f.report.partenariats.aCreer).toBe(0);

  const data = (rows: Record<string, unknown>[], entity: 'partenariat' | 'ficheProjet') =>
    rows.map((r) =>
      Object.fromEntries(
        TABLE_DEFS[entity].fields
          .filter((k) => k !== 'referentContactId' && k !== 'reprisLe')
          .map((k) => [k, r[k] ?? null]),
      ),
    );
  expect(data(await live(b, 'partenariat'), 'partenariat')).toEqual(data(parts, 'partenariat'));
  expect(data(await live(b, 'fiche_projet'), 'ficheProjet')).toEqual(data(fiches, 'ficheProjet'));
  // What the import wrote carries its mark « repris de l’Atlas existant » (the seed's records do not).
  for (const t of ['partenariat', 'fiche_projet'])
    expect((await live(b, t)).every((r) => typeof r.reprisLe === 'string' && r.reprisLe !== '')).toBe(true);

  // Importing the export into the database it came from changes nothing there.
  const again = await importAtlas(
    { db: a.internals.db, sync: a.internals.sync },
    await loadSource({ path: path.join(tmp, 'fiches.csv') }),
    {
      dryRun: true,
    },
  );
  expect(again.report.fiches).toEqual({ aCreer: 0, aMettreAJour: 0, inchanges: fiches.length });
});
