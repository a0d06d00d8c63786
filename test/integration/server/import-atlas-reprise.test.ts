// The Atlas import's mark « Repris de l’Atlas existant — à vérifier » (issue 17, docs/domain.md): the import
// sets `reprisLe` on what it writes; an agent's edit of any field clears it in the same write (and the
// change reaches the agent's other device); a device may not set it; importing a changed file again does not
// mark a record the agent edited. PGlite by default, PostgreSQL when DATABASE_URL is set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAtlas, loadSource } from '../../../src-server/import-atlas/run';
import type { PulledRecord } from '../../../src-shared/sync/protocol';
import { TestDevice } from '../helpers/client';
import { startTestServer, type TestServer } from '../helpers/testServer';

const docs = path.resolve(__dirname, '../../../docs/import-atlas');
const modele = fs.readFileSync(path.join(docs, 'modele.csv'), 'utf8');
const mapping: unknown = JSON.parse(fs.readFileSync(path.join(docs, 'mapping-modele.json'), 'utf8'));

let s: TestServer;
let tmp: string;
beforeAll(async () => {
  s = await startTestServer({ seed: 'none' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reprise-'));
});
afterAll(async () => {
  await s?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const deps = () => ({ db: s.internals.db, sync: s.internals.sync });
async function importer(text: string, now: Date) {
  const file = path.join(tmp, `modele-${now.getTime()}.csv`);
  fs.writeFileSync(file, text);
  return importAtlas(deps(), await loadSource({ path: file }, mapping), { dryRun: false, now });
}
const fiche = async (like: string) =>
  (
    await s.internals.db.query<Record<string, unknown>>(`SELECT * FROM fiche_projet WHERE "intitule" LIKE $1`, [like])
  )[0]!;
const pulled = (pages: { changes: PulledRecord[] }[], id: string) =>
  pages.flatMap((p) => p.changes).filter((c) => c.id === id);

describe('la marque « repris de l’Atlas existant — à vérifier »', () => {
  it('posée par l’import, effacée par la modification d’un agent, jamais posée par un poste ni remise sur un enregistrement modifié', async () => {
    const first = new Date('2026-03-02T09:00:00.000Z');
    const r = await importer(modele, first);
    expect(r.written.crees).toBeGreaterThan(0);
    const db = s.internals.db;
    const stamp = first.toISOString();
    const marks = await db.query<{ reprisLe: string | null }>(
      'SELECT "reprisLe" FROM partenariat UNION ALL SELECT "reprisLe" FROM fiche_projet',
    );
    expect(marks).toHaveLength(4);
    expect(marks.every((m) => m.reprisLe === stamp)).toBe(true);

    // An agent of Saint-Brieuc with two devices, both holding the imported records.
    const eau = await fiche('Accès à l’eau%');
    const jeunes = await fiche('Échanges de jeunes%');
    const code = (
      await db.query<{ code: string }>('SELECT "code" FROM collectivite WHERE "id" = $1', [eau.collectiviteId])
    )[0]!.code;
    const agent = await s.createUser({ role: 'agent', collectiviteCode: code });
    const a = await new TestDevice(s.url).login(agent.email, agent.password);
    const b = await new TestDevice(s.url).login(agent.email, agent.password);
    const seen = pulled(await a.pullAll(), String(eau.id));
    expect(seen.at(-1)?.fields?.reprisLe).toBe(stamp);
    await b.pullAll();

    // A device may not set the mark (nor clear it by hand): READ_ONLY_FIELD.
    const revs = eau.field_revs as Record<string, number>;
    const base = (f: string) => revs[f] ?? Number(eau.created_rev);
    const forged = await a.sync([
      a.change({
        op: 'update',
        entity: 'ficheProjet',
        record: String(eau.id),
        fields: { reprisLe: { value: '2030-01-01T00:00:00.000Z', base: base('reprisLe') } },
      }),
    ]);
    expect(forged.body.results[0]).toMatchObject({
      status: 'rejected',
      code: 'READ_ONLY_FIELD',
      message: expect.stringContaining('« Repris de l’Atlas existant le »'),
    });
    const created = await a.sync([
      a.change({
        op: 'create',
        entity: 'partenariat',
        record: '6c0bdf0e-5b7e-4d0c-9a5e-1f0a3c2b7d11',
        fields: {
          collectiviteId: eau.collectiviteId,
          nature: 'action_exterieure',
          pays: 'SN',
          nomPartenaire: 'Thiès',
          jumelage: false,
          statut: 'active',
          reprisLe: stamp,
        },
      }),
    ]);
    expect(created.body.results[0]).toMatchObject({ status: 'rejected', code: 'READ_ONLY_FIELD' });
    expect((await fiche('Accès à l’eau%')).reprisLe).toBe(stamp);

    // The agent edits one field: the mark goes in the same write…
    const edit = await a.sync([
      a.change({
        op: 'update',
        entity: 'ficheProjet',
        record: String(eau.id),
        fields: { beneficiaires: { value: 'Habitants de trois quartiers', base: base('beneficiaires') } },
      }),
    ]);
    expect(edit.body.results[0]).toMatchObject({ status: 'applied' });
    const edited = await fiche('Accès à l’eau%');
    expect(edited).toMatchObject({ beneficiaires: 'Habitants de trois quartiers', reprisLe: null });
    // …reaches the device that wrote it (it did not send the mark) and the agent's other device.
    const backToA = pulled([edit.body, ...(await a.pullAll())], String(eau.id));
    expect(backToA.at(-1)?.fields).toMatchObject({ reprisLe: null, beneficiaires: 'Habitants de trois quartiers' });
    const toB = pulled(await b.pullAll(), String(eau.id));
    expect(toB.at(-1)?.fields).toMatchObject({ reprisLe: null, beneficiaires: 'Habitants de trois quartiers' });
    // Its partenariat, not edited, keeps its mark; so does the other collectivité's fiche.
    const part = (
      await db.query<{ reprisLe: string | null }>('SELECT "reprisLe" FROM partenariat WHERE "id" = $1', [
        eau.partenariatId,
      ])
    )[0]!;
    expect(part.reprisLe).toBe(stamp);
    expect((await fiche('Échanges de jeunes%')).reprisLe).toBe(stamp);

    // The file changes both projects' amounts and is imported again: both amounts are taken (the agent did
    // not edit them), the fiche still marked gets the new run's time, the edited one stays unmarked.
    const second = new Date('2026-04-02T09:00:00.000Z');
    const changed = modele.replace('120 000,00 €', '125 000,00 €').replace('18 500,50 €', '19 000,00 €');
    const again = await importer(changed, second);
    expect(again.report.fiches).toMatchObject({ aMettreAJour: 2 });
    const eau2 = await fiche('Accès à l’eau%');
    expect(eau2).toMatchObject({ coutTotal: 125000, reprisLe: null, beneficiaires: 'Habitants de trois quartiers' });
    expect(await fiche('Échanges de jeunes%')).toMatchObject({ coutTotal: 19000, reprisLe: second.toISOString() });
    expect(jeunes.reprisLe).toBe(stamp);
  });
});
