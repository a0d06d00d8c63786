// Issue 16 (snapshots) in Chromium, real IndexedDB, the shared e2e server: the server's snapshot of
// Bretagne (downloaded by the DAECT) is imported by an SGAR's app with its network cut; the SGAR saves the
// snapshot of one commune from its copy; the commune's agent, offline with an edit of its own pending,
// imports it: its copy equals the server's records at the snapshot's cursor and the edit is kept. Back
// online, the commune's sync sends the edit once and pulls only what changed after the cursor. Refused:
// an older snapshot, another scope's, a tampered byte.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Page, Request } from '@playwright/test';
import {
  createUser,
  expect,
  expectCopyMatchesServer,
  expectNoAxeViolations,
  field,
  login,
  serverRecord,
  serverScopeCopy,
  serverScopeRevs,
  shot,
  syncNow,
  test,
  waitSynced,
} from './support/fixtures';

type Copy = Record<string, Record<string, Record<string, unknown>>>;

/** The header of a signed file (src-shared/files/container.ts): magic, u32 length, JSON. */
function headerOf(file: Buffer): { cursor: number; scope: { type: string; id: string | null } } {
  const n = file.readUInt32BE(8);
  return JSON.parse(file.subarray(12, 12 + n).toString('utf8')) as ReturnType<typeof headerOf>;
}

/**
 * The server versions this device holds (what a pull gave it, pending edits not applied), read straight from
 * its IndexedDB: a record row that carries its revision is its own server version; a record departing from it
 * keeps it in a `meta` row; a record with neither is a local creation.
 */
function deviceServerVersions(page: Page): Promise<Copy> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('atlas-hors-ligne');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error as Error);
    });
    const all = (store: string) =>
      new Promise<Record<string, unknown>[]>((res, rej) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => res(r.result as Record<string, unknown>[]);
        r.onerror = () => rej(r.error as Error);
      });
    const [packs, loose, meta] = await Promise.all([all('packs'), all('loose'), all('meta')]);
    db.close();
    const rows = new Map<string, Record<string, unknown>>();
    for (const p of packs)
      for (const id of p.ids as string[])
        rows.set(`${String(p.entity)}|${id}`, (p.rows as Record<string, Record<string, unknown>>)[id]!);
    for (const l of loose) rows.set(`${String(l.entity)}|${String(l.id)}`, l.rec as Record<string, unknown>);
    const metas = new Map(meta.map((m) => [`${String(m.entity)}|${String(m.id)}`, m]));
    const out: Record<string, Record<string, Record<string, unknown>>> = {};
    const put = (k: string, rec: Record<string, unknown>) => {
      const [e, id] = k.split('|') as [string, string];
      (out[e] ??= {})[id] = rec;
    };
    for (const [k, m] of metas) if (!m.deleted) put(k, { ...(m.fields as object), id: m.id });
    for (const [k, r] of rows) {
      if (metas.has(k) || typeof r.$rev !== 'number') continue;
      const { $rev: _r, $revs: _s, ...rec } = r;
      put(k, rec);
    }
    return out;
  });
}

const canonical = (v: unknown) =>
  JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/**
 * Every record of the server's scope as it stood at `cursor` equals the device's server version, field by
 * field, and the device holds nothing else of the collectivité. Records another spec changed after the
 * cursor (national lists, campaigns) are left out: the server no longer has their value at the cursor.
 */
async function expectCopyAtCursor(page: Page, collectiviteId: string, cursor: number): Promise<number> {
  const scope = { role: 'agent' as const, collectiviteId };
  const [server, revs, device] = await Promise.all([
    serverScopeCopy(scope),
    serverScopeRevs(scope),
    deviceServerVersions(page),
  ]);
  const diffs: string[] = [];
  let compared = 0;
  for (const [entity, recs] of Object.entries(server)) {
    for (const [id, rec] of Object.entries(recs)) {
      if ((revs[entity]?.[id] ?? 0) > cursor) continue;
      compared++;
      const got = device[entity]?.[id];
      if (!got) {
        diffs.push(`${entity} ${id}: absent de la copie`);
        continue;
      }
      for (const f of Object.keys(rec))
        if (canonical(rec[f]) !== canonical(got[f]))
          diffs.push(`${entity} ${id}.${f}: serveur ${canonical(rec[f])}, poste ${canonical(got[f])}`);
    }
    if (entity === 'campagne' || entity === 'entreeReference') continue;
    for (const id of Object.keys(device[entity] ?? {}))
      if (!recs[id]) diffs.push(`${entity} ${id}: sur le poste seulement`);
  }
  expect(diffs).toEqual([]);
  return compared;
}

async function importSnapshot(page: Page, name: string, buffer: Buffer) {
  await page.getByLabel('Importer un instantané').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const dl = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await dl;
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

async function idbSyncState(page: Page, key: string): Promise<unknown> {
  return page.evaluate(async (k) => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('atlas-hors-ligne');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error as Error);
    });
    const v = await new Promise<unknown>((res, rej) => {
      const r = db.transaction('syncState').objectStore('syncState').get(k);
      r.onsuccess = () => res((r.result as { value?: unknown } | undefined)?.value ?? null);
      r.onerror = () => rej(r.error as Error);
    });
    db.close();
    return v;
  }, key);
}

test('instantanés : serveur → SGAR hors ligne → commune hors ligne, puis synchronisation sans doublon', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const agent = await createUser();
  const colleague = await createUser({ collectiviteCode: agent.collectiviteCode! });
  const sgar = await createUser({ role: 'sgar', region: '53' });
  const daect = await createUser({ role: 'daect' });
  const nom = String((await serverRecord('collectivite', agent.collectiviteId!))?.nom);

  const ctxD = await browser.newContext({ colorScheme: 'dark' });
  const ctxA = await browser.newContext();
  const ctxS = await browser.newContext();
  const pd = await ctxD.newPage();
  const pa = await ctxA.newPage();
  const ps = await ctxS.newPage();
  for (const p of [pd, pa, ps]) p.on('dialog', (d) => void d.accept());

  // The DAECT downloads the server's snapshot of Bretagne: kept as the « older » file for later.
  await login(pd, daect);
  await expect(pd.locator('html')).toHaveAttribute('data-fr-theme', 'dark');
  await pd.getByRole('link', { name: 'Synchronisation' }).first().click();
  await pd.getByLabel('Périmètre de l’instantané').selectOption({ label: 'Région Bretagne' });
  const older = await download(pd, 'Télécharger l’instantané');
  expect(older.name).toMatch(/^instantane-bretagne-\d{4}-\d{2}-\d{2}\.atlas-instantane$/);
  expect(headerOf(older.bytes).scope).toEqual({ type: 'region', id: '53' });

  // The commune's agent, online, adds an élue; then its town hall loses the network and it edits her.
  await login(pa, agent);
  await pa.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await pa.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await pa.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(pa, 'Catégorie').selectOption('elu');
  await field(pa, 'Prénom').fill('Gaëlle');
  await field(pa, 'Nom').fill('Rivoal');
  await field(pa, 'Titre / fonction').fill('Maire');
  await field(pa, 'Courriel').fill('g.rivoal@mairie-exemple.fr');
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  const row = pa.getByRole('row').filter({ hasText: 'Gaëlle Rivoal' });
  await syncNow(pa);
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('Synchronisé');
  const contactId = (await row.getByRole('link', { name: /Modifier/ }).getAttribute('href'))!.split('/').pop()!;
  // The server's key is pinned after a sync: the snapshots the agent imports offline verify with it.
  await expect.poll(() => pa.evaluate(() => localStorage.getItem('atlas.clesServeur'))).toContain('Ed25519');

  // The SGAR logs in (its copy of the région, and its certificate), then travels without network.
  await login(ps, sgar);
  await ps.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => idbSyncState(ps, 'deviceCertificate'), { timeout: 15_000 }).toBeTruthy();
  await ctxS.setOffline(true);

  await ctxA.setOffline(true);
  await row.getByRole('link', { name: /Modifier/ }).click();
  await field(pa, 'Titre / fonction').fill('Maire, présidente du comité de jumelage');
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('En attente d’envoi');

  // Meanwhile a colleague at the intercommunalité's office, online, adds an élu and fixes her address.
  const ctxB = await browser.newContext();
  const pb = await ctxB.newPage();
  pb.on('dialog', (d) => void d.accept());
  await login(pb, colleague);
  await pb.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await pb.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(pb, 'Catégorie').selectOption('elu');
  await field(pb, 'Prénom').fill('Erwan');
  await field(pb, 'Nom').fill('Tanguy');
  await field(pb, 'Titre / fonction').fill('Adjoint à la culture');
  await field(pb, 'Courriel').fill('erwan.tanguy@mairie-exemple.fr');
  await pb.getByRole('button', { name: 'Enregistrer' }).click();
  const rowB = pb.getByRole('row').filter({ hasText: 'Gaëlle Rivoal' });
  await rowB.getByRole('link', { name: /Modifier/ }).click();
  await field(pb, 'Courriel').fill('gaelle.rivoal@mairie-exemple.fr');
  await pb.getByRole('button', { name: 'Enregistrer' }).click();
  await syncNow(pb);
  await ctxB.close();

  // The server's snapshot of Bretagne now, carried to the SGAR.
  const region = await download(pd, 'Télécharger l’instantané');
  const regionCursor = headerOf(region.bytes).cursor;
  expect(regionCursor).toBeGreaterThan(headerOf(older.bytes).cursor);
  await shot(pd, 'instantanes-1-daect-telechargement');
  await expectNoAxeViolations(pd, 'synchronisation, DAECT (thème sombre)');

  // The SGAR, offline, imports it: its copy moves to the snapshot's cursor.
  await ps.getByRole('link', { name: 'Synchronisation' }).first().click();
  await importSnapshot(ps, region.name, region.bytes);
  const summaryS = ps.getByTestId('instantane-resume');
  await expect(summaryS).toContainText('Instantané importé', { timeout: 30_000 });
  await expect(summaryS).toContainText(/enregistrements reçus/);
  expect(String(await idbSyncState(ps, 'cursor'))).toBe(String(regionCursor));
  expect(String(await idbSyncState(ps, 'since'))).toBe(String(regionCursor));
  // The older file is refused, changing nothing.
  await importSnapshot(ps, older.name, older.bytes);
  await expect(ps.getByTestId('instantane-etat')).toContainText(
    'Votre copie est plus récente que ce fichier : il n’a pas été importé.',
  );
  expect(String(await idbSyncState(ps, 'cursor'))).toBe(String(regionCursor));

  // It saves the commune's snapshot from its copy (signed by its device, certified by the server).
  await ps.getByLabel('Collectivité', { exact: true }).selectOption({ label: nom });
  const commune = await download(ps, `Enregistrer un instantané de ${nom}`);
  expect(headerOf(commune.bytes)).toMatchObject({
    scope: { type: 'collectivite', id: agent.collectiviteId },
    cursor: regionCursor,
  });
  await expect(ps.getByText(new RegExp(`Instantané de ${nom} enregistré`))).toBeVisible();
  await shot(ps, 'instantanes-2-sgar-hors-ligne');
  await expectNoAxeViolations(ps, 'synchronisation, SGAR hors ligne');

  // At the town hall, still offline: another scope's file and a damaged one are refused…
  await pa.getByRole('link', { name: 'Synchronisation' }).first().click();
  await importSnapshot(pa, region.name, region.bytes);
  await expect(pa.getByTestId('instantane-etat')).toContainText('n’est pas celui de ce poste : il n’a pas été importé');
  const damaged = Buffer.from(commune.bytes);
  damaged[damaged.length - 5]! ^= 0xff;
  await importSnapshot(pa, 'abime.atlas-instantane', damaged);
  await expect(pa.getByTestId('instantane-etat')).toHaveText(
    'Ce fichier a été modifié depuis sa création : il n’a pas été importé.',
  );
  await expect(pa.getByTestId('nombre-attente')).toHaveText('1');

  // … and the SGAR's file is imported: the copy equals the server's at the cursor, the edit is kept.
  await importSnapshot(pa, commune.name, commune.bytes);
  const summaryA = pa.getByTestId('instantane-resume');
  await expect(summaryA).toContainText('Instantané importé');
  await expect(summaryA).toContainText('1 modification en attente conservée');
  await expect(summaryA).toContainText('poste certifié par le serveur');
  await shot(pa, 'instantanes-3-commune-importe');
  await expectNoAxeViolations(pa, 'synchronisation, instantané importé');
  expect(String(await idbSyncState(pa, 'cursor'))).toBe(String(regionCursor));
  expect(await expectCopyAtCursor(pa, agent.collectiviteId!, regionCursor)).toBeGreaterThan(3);
  await pa.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await expect(pa.getByRole('row').filter({ hasText: 'Erwan Tanguy' })).toBeVisible();
  await expect(row).toContainText('Maire, présidente du comité de jumelage');
  await expect(row).toContainText('gaelle.rivoal@mairie-exemple.fr');
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('En attente d’envoi');

  // The same file again: nothing to do.
  await pa.getByRole('link', { name: 'Synchronisation' }).first().click();
  await importSnapshot(pa, commune.name, commune.bytes);
  await expect(pa.getByTestId('instantane-resume')).toContainText('Rien à importer');

  // Back online: the edit reaches the server once; the pull starts at the snapshot's cursor.
  const syncs: Request[] = [];
  pa.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/sync')) syncs.push(r);
  });
  await ctxA.setOffline(false);
  await syncNow(pa);
  await waitSynced(pa);
  await expect(pa.getByTestId('nombre-attente')).toHaveText('0');
  expect(syncs.length).toBeGreaterThan(0);
  const results: { id: string; status: string; duplicate?: boolean }[] = [];
  for (const [i, r] of syncs.entries()) {
    const raw = r.postDataBuffer()!;
    const body = JSON.parse((r.headers()['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')) as {
      cursor: string;
      since: string;
      changes: { id: string }[];
    };
    const res = (await (await r.response())!.json()) as {
      results: typeof results;
      changes: { entity: string; id: string; rev: number }[];
    };
    if (i === 0)
      expect({ cursor: body.cursor, since: body.since }).toEqual({
        cursor: String(regionCursor),
        since: String(regionCursor),
      });
    for (const c of res.changes) expect(c.rev, `${c.entity} ${c.id} tiré de nouveau`).toBeGreaterThan(regionCursor);
    results.push(...res.results);
  }
  expect(results.filter((r) => !r.duplicate && r.status !== 'rejected')).toHaveLength(1);
  expect(await serverRecord('contact', contactId)).toMatchObject({
    fonction: 'Maire, présidente du comité de jumelage',
    courriel: 'gaelle.rivoal@mairie-exemple.fr',
  });
  await expectCopyMatchesServer(pa);
  for (const c of [ctxA, ctxS, ctxD]) await c.close();
});
