// Issue 16, the viewer without login (« Ouvrir un instantané »), in Chromium: a région snapshot made by
// the server (GET /api/v1/instantanes) opens on the login screen with no account — banner, chooser, the
// five parts, a fiche-projet (and its print view), the map, a CSV export checked field by field against
// the snapshot's own records; a tampered file is refused with its French message; the app's own
// databases are the same before and after, byte for byte; the viewer's temporary one is gone once closed.
// Then the desktop host's file API (files:openBytes) through the fake main process of fakeElectron.ts.
import { webcrypto, randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { openSnapshot, serverKeyDocument, snapshotKeyFor, SERVER_KEY_PATH } from '../../src-shared/files/snapshot';
import type { ServerKey, SnapshotMeta } from '../../src-shared/files/snapshot';
import type { FileHeader } from '../../src-shared/files/container';
import type { PulledRecord } from '../../src-shared/sync/protocol';
import {
  NATURE_LABELS,
  STATUT_PARTENARIAT_LABELS,
  TYPE_PARTENAIRE_LABELS,
  type Partenariat,
} from '../../src-shared/domain/partenariat';
import { nomPays } from '../../src-shared/reference/pays';
import { fieldColumn } from '../../src-shared/registry';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  login,
  shot,
  test,
  waitSynced,
  type E2EUser,
} from './support/fixtures';
import { fakeMainLog, pickFileInDialog, useFakeElectron } from './support/fakeElectron';

const APP_DBS = ['atlas-hors-ligne', 'atlas-hors-ligne-secrets'];
/** The viewers' temporary databases: prefix + a random id, one per viewer (sync/viewerName.ts). */
const VIEWER_DB_PREFIX = 'atlas-visionneuse-';

async function apiLogin(u: E2EUser): Promise<string> {
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('base64');
  const r = await fetch(`${appUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: u.email,
      password: u.password,
      device: { id: randomUUID(), name: 'Test visionneuse', publicKey },
    }),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

async function serverSnapshot(token: string, perimetre: string): Promise<Uint8Array> {
  const r = await fetch(`${appUrl()}/api/v1/instantanes?perimetre=${encodeURIComponent(perimetre)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(r.status).toBe(200);
  return new Uint8Array(await r.arrayBuffer());
}

async function serverKey(): Promise<ServerKey> {
  return serverKeyDocument.parse(await (await fetch(`${appUrl()}${SERVER_KEY_PATH}`)).json());
}

/** The snapshot as a test reads it (in Node, with the same shared code): header, meta line, records. */
async function readSnapshot(bytes: Uint8Array, key: ServerKey) {
  const { header, lines } = await openSnapshot(bytes, snapshotKeyFor([key]));
  let meta: SnapshotMeta | null = null;
  const records: PulledRecord[] = [];
  for await (const l of lines()) {
    if (l.type === 'meta') meta = l;
    else if (l.type === 'record') records.push(l.record);
  }
  const of = (entity: string, collectiviteId?: string) =>
    records
      .filter((r) => r.entity === entity && !r.deleted)
      .map((r) => ({ id: r.id, ...r.fields }) as Record<string, unknown> & { id: string })
      .filter((r) => !collectiviteId || r.collectiviteId === collectiviteId);
  return { header: header as FileHeader, meta: meta!, records, of };
}

/** Every object store of the app's databases (and whether each exists), read without creating any. */
async function dumpDbs(page: Page, names: string[]): Promise<Record<string, unknown>> {
  return page.evaluate(async (names) => {
    const existing = new Set((await indexedDB.databases()).map((d) => d.name));
    const out: Record<string, unknown> = {};
    for (const name of names) {
      if (!existing.has(name)) {
        out[name] = null;
        continue;
      }
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      const stores: Record<string, unknown> = { $version: db.version };
      for (const s of Array.from(db.objectStoreNames)) {
        const tx = db.transaction(s, 'readonly');
        const st = tx.objectStore(s);
        const [keys, values] = await Promise.all(
          [st.getAllKeys(), st.getAll()].map(
            (req) => new Promise<unknown>((res, rej) => ((req.onsuccess = () => res(req.result)), (req.onerror = rej))),
          ),
        );
        stores[s] = JSON.stringify({ keys, values });
      }
      db.close();
      out[name] = stores;
    }
    return out;
  }, names);
}

async function databaseNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name!));
}

async function viewerDbNames(page: Page): Promise<string[]> {
  return (await databaseNames(page)).filter((n) => n.startsWith(VIEWER_DB_PREFIX)).sort();
}

/** A CSV of ui/csv.ts (BOM, semicolons, CRLF, quotes) as rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  return rows;
}

const frNumber = (n: unknown) => (n === null || n === undefined ? '' : String(n).replace('.', ','));
const frDate = (iso: unknown) => {
  const m = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
};

/** The banner's expected sentence, the date written by the page's own clock and locale. */
async function expectedBanner(page: Page, meta: SnapshotMeta, createdAt: string): Promise<string> {
  const when = await page.evaluate(
    (iso) =>
      new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' })
        .format(new Date(iso))
        .replace(' ', ' à '),
    createdAt,
  );
  return `Instantané de ${meta.scopeLabel} au ${when} — produit par ${meta.producedBy} — signature vérifiée`;
}

async function openWithChooser(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Ouvrir un instantané' }).click();
  await (await chooser).setFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
}

/** No way to write: no add, edit, delete, save, attestation, avis or sync control anywhere on the page. */
async function expectReadOnly(page: Page): Promise<void> {
  const write = /Ajouter|Supprimer|Modifier|Enregistrer|Attester|J’atteste|Synchroniser|Donner|Nouvelle|Nouveau/;
  await expect(page.getByRole('button', { name: write })).toHaveCount(0);
  await expect(page.getByRole('link', { name: write })).toHaveCount(0);
  // Nor empty columns of sync states or actions.
  await expect(page.getByRole('columnheader', { name: /^(État|Actions)$/ })).toHaveCount(0);
}

test('instantané sans compte : bandeau, les cinq parties, une fiche, la carte, un export CSV ; rien n’est écrit dans l’application', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const sgar = await createUser({ role: 'sgar', region: '53' });
  const bytes = await serverSnapshot(await apiLogin(sgar), 'region:53');
  const key = await serverKey();
  const snap = await readSnapshot(bytes, key);
  expect(snap.header.scope).toEqual({ type: 'region', id: '53' });
  // The collectivité to look at: one of the seed's, with a coopération that has a fiche-projet.
  const fiches = snap.of('ficheProjet');
  const coop = snap
    .of('partenariat')
    .find((p) => p.nature === 'cooperation_decentralisee' && fiches.some((f) => f.partenariatId === p.id));
  expect(coop, 'une coopération avec une fiche-projet dans l’instantané de la région').toBeTruthy();
  const coll = snap.of('collectivite').find((c) => c.id === coop!.collectiviteId)!;
  const fiche = fiches.find((f) => f.partenariatId === coop!.id)!;

  // A computer that has never logged in: only the server's key is known (as a release ships it).
  const ctx = await browser.newContext();
  await ctx.addInitScript((k) => localStorage.setItem('atlas.clesServeur', JSON.stringify([k])), key);
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${appUrl()}/#/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  // The login screen reads its (empty) store once idle: the state to compare with at the end.
  await expect.poll(() => databaseNames(page)).toContain('atlas-hors-ligne');
  const before = await dumpDbs(page, APP_DBS);
  await shot(page, 'visionneuse-0-connexion');

  // A tampered file: refused with its French message, nothing opened.
  const tampered = bytes.slice();
  tampered[tampered.length - 10]! ^= 0xff;
  await openWithChooser(page, 'bretagne-modifie.atlas-instantane', tampered);
  await expect(page.getByTestId('instantane-refuse')).toHaveText(
    '« bretagne-modifie.atlas-instantane » n’a pas été ouvert. Ce fichier a été modifié depuis sa création : il n’a pas été importé.',
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  expect(await viewerDbNames(page)).toEqual([]);
  await shot(page, 'visionneuse-1-refuse');
  await expectNoAxeViolations(page, 'connexion, instantané refusé');

  // The real one.
  const started = Date.now();
  await openWithChooser(page, 'bretagne.atlas-instantane', bytes);
  const banner = page.getByTestId('bandeau-instantane');
  await expect(banner.locator('.fr-notice__title')).toHaveText(
    await expectedBanner(page, snap.meta, snap.header.createdAt),
  );
  console.log(`visionneuse: ${snap.records.length} records opened in ${Date.now() - started} ms`);
  expect(await viewerDbNames(page)).toHaveLength(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choisir une collectivité');
  // The count is the snapshot's; past 100 the chooser says that only the first are shown (other specs of
  // the shared e2e server add communes to the région).
  const total = snap.of('collectivite').length;
  await expect(page.getByTestId('choix-nombre')).toHaveText(
    new RegExp(`^${total} collectivités?(\\.| ; les 100 premières sont affichées\\.)$`),
  );
  await shot(page, 'visionneuse-2-choix');
  await expectNoAxeViolations(page, 'visionneuse, choix de la collectivité');
  await page.getByLabel('Rechercher une collectivité').fill(String(coll.nom));
  await page
    .getByRole('button', { name: new RegExp(`^${String(coll.nom)} —`) })
    .first()
    .click();

  // The dashboard of the five parts, read-only.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour|Tableau de bord/);
  await expect(page.locator('.fr-header__service-tagline')).toHaveText(`${String(coll.nom)} — instantané`);
  await expectReadOnly(page);
  await shot(page, 'visionneuse-3-tableau-de-bord');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-fr-theme', scheme);
    await expectNoAxeViolations(page, `visionneuse, tableau de bord (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  const nav = page.getByRole('navigation', { name: /principal/i });
  const parts: [string, RegExp, string[]][] = [
    ['Élus et cadres', /Élus et cadres/, snap.of('contact', coll.id as string).map((c) => String(c.nom))],
    ['Réseaux', /réseaux/i, []],
    [
      'Coopérations',
      /[Cc]oopération/,
      snap
        .of('partenariat', coll.id as string)
        .filter((p) => p.nature === 'cooperation_decentralisee')
        .map((p) => String(p.nomPartenaire)),
    ],
    [
      'Actions extérieures',
      /[Aa]ctions? extérieure/,
      snap
        .of('partenariat', coll.id as string)
        .filter((p) => p.nature === 'action_exterieure')
        .map((p) => String(p.nomPartenaire)),
    ],
    ['APD', /APD|[Aa]ide publique/, []],
  ];
  for (const [link, title, names] of parts) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    for (const n of names) await expect(page.locator('main').getByText(n).first()).toBeVisible();
    await expect(banner).toBeVisible();
    await expectReadOnly(page);
    await shot(page, `visionneuse-4-${link.replace(/\W+/g, '-').toLowerCase()}`);
  }

  // CSV export of the coopérations, checked field by field against the snapshot's records.
  await nav.getByRole('link', { name: 'Coopérations', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Exporter les partenariats (CSV)' }).click();
  const csv = parseCsv(
    await (await download).createReadStream().then(
      (s) =>
        new Promise<string>((res) => {
          let t = '';
          s.setEncoding('utf8');
          s.on('data', (c: string) => (t += c));
          s.on('end', () => res(t));
        }),
    ),
  );
  const fields: (keyof Partenariat)[] = [
    'nature',
    'pays',
    'nomPartenaire',
    'typePartenaire',
    'jumelage',
    'dateConvention',
    'statut',
    'latitude',
    'longitude',
  ];
  expect(csv[0]).toEqual(fields.map((f) => fieldColumn('partenariat', f)));
  const expected = snap
    .of('partenariat', coll.id as string)
    .filter((p) => p.nature === 'cooperation_decentralisee')
    .map((p) => [
      NATURE_LABELS[p.nature as Partenariat['nature']],
      nomPays(p.pays as string),
      String(p.nomPartenaire),
      p.typePartenaire ? TYPE_PARTENAIRE_LABELS[p.typePartenaire as NonNullable<Partenariat['typePartenaire']>] : '',
      p.jumelage ? 'oui' : 'non',
      frDate(p.dateConvention),
      STATUT_PARTENARIAT_LABELS[p.statut as Partenariat['statut']],
      frNumber(p.latitude),
      frNumber(p.longitude),
    ]);
  const sortRows = (rows: string[][]) => [...rows].sort((a, b) => a.join(';').localeCompare(b.join(';')));
  expect(sortRows(csv.slice(1))).toEqual(sortRows(expected));

  // A fiche-projet: its values, no way to edit it, its print view.
  await page.goto(`${appUrl()}/#/partenariats/${coop!.id}/fiches/${fiche.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(String(fiche.intitule));
  await expect(page.getByLabel(/Intitulé/).first()).toHaveValue(String(fiche.intitule));
  await expect(page.getByLabel(/Intitulé/).first()).toBeDisabled();
  await expectReadOnly(page);
  await shot(page, 'visionneuse-5-fiche');
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-fr-theme', scheme);
    await expectNoAxeViolations(page, `visionneuse, fiche-projet (${scheme})`);
  }
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.atlas-fiche-print h1')).toContainText(String(fiche.intitule));
  await expect(banner.locator('.fr-notice__title')).toBeVisible();
  await expect(page.locator('.fr-header')).toBeHidden();
  await shot(page, 'visionneuse-6-fiche-impression');
  await page.emulateMedia({ media: 'screen' });

  // The map of the collectivité, on the snapshot's data.
  await nav.getByRole('link', { name: 'Carte', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Carte/);
  await expect(page.locator('.leaflet-container')).toBeVisible();
  const mapped = snap.of('partenariat', coll.id as string);
  await expect(page.locator('main').getByText(/partenaire\(s\) dans/)).toContainText(
    `${mapped.length} partenaire(s) dans ${new Set(mapped.map((p) => p.pays)).size} pays.`,
  );
  await shot(page, 'visionneuse-7-carte');

  // Closed: back to the login screen; the app's databases as they were, the viewer's gone.
  await banner.getByRole('button', { name: 'Fermer l’instantané' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  await expect.poll(() => viewerDbNames(page)).toEqual([]);
  expect(await dumpDbs(page, APP_DBS)).toEqual(before);
  await ctx.close();
});

test('instantané par l’API de fichiers de l’application de bureau (files:openBytes) : signataire inconnu refusé, puis ouvert', async ({
  browser,
}) => {
  const agent = await createUser({ collectiviteCode: 'commune:35238' });
  const bytes = await serverSnapshot(await apiLogin(agent), `collectivite:${agent.collectiviteId}`);
  const key = await serverKey();
  const snap = await readSnapshot(bytes, key);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await useFakeElectron(page);
  await page.goto(`${appUrl()}/#/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  await expect.poll(() => databaseNames(page)).toContain('atlas-hors-ligne');
  const before = await dumpDbs(page, APP_DBS);

  // This computer does not know the server's key yet: the signer is unknown.
  await pickFileInDialog(page, 'rennes.atlas-instantane', bytes);
  await page.getByRole('button', { name: 'Ouvrir un instantané' }).click();
  await expect(page.getByTestId('instantane-refuse')).toHaveText(
    '« rennes.atlas-instantane » n’a pas été ouvert. Le poste ou le serveur qui a signé ce fichier n’est pas reconnu : il n’a pas été importé.',
  );
  expect((await fakeMainLog(page)).channels).toContain('files:openBytes');

  await page.evaluate((k) => localStorage.setItem('atlas.clesServeur', JSON.stringify([k])), key);
  await page.getByRole('button', { name: 'Ouvrir un instantané' }).click();
  // One collectivité: its dashboard straight away, no chooser.
  await expect(page.getByTestId('bandeau-instantane').locator('.fr-notice__title')).toHaveText(
    await expectedBanner(page, snap.meta, snap.header.createdAt),
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour|Tableau de bord/);
  await expect(page.getByRole('button', { name: 'Changer de collectivité' })).toHaveCount(0);
  await expectReadOnly(page);
  await shot(page, 'visionneuse-bureau');
  await page.getByRole('button', { name: 'Fermer l’instantané' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  await expect.poll(() => viewerDbNames(page)).toEqual([]);
  await page.evaluate(() => localStorage.removeItem('atlas.clesServeur'));
  expect(await dumpDbs(page, APP_DBS)).toEqual(before);
  await ctx.close();
});

test('connecté : l’instantané s’ouvre depuis « Synchronisation » sans toucher à la copie du poste, qui reprend à la fermeture', async ({
  browser,
}) => {
  const agent = await createUser({ collectiviteCode: 'commune:22278' });
  const sgar = await createUser({ role: 'sgar', region: '53' });
  const bytes = await serverSnapshot(await apiLogin(sgar), `collectivite:${agent.collectiviteId}`);
  const key = await serverKey();
  const snap = await readSnapshot(bytes, key);
  const ctx = await browser.newContext();
  await ctx.addInitScript((k) => localStorage.setItem('atlas.clesServeur', JSON.stringify([k])), key);
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  await login(page, agent);
  await page.getByRole('link', { name: 'Synchronisation' }).first().click();
  await waitSynced(page);
  const before = await dumpDbs(page, APP_DBS);
  expect(before['atlas-hors-ligne']).not.toBeNull();

  await openWithChooser(page, 'saint-brieuc.atlas-instantane', bytes);
  await expect(page.getByTestId('bandeau-instantane').locator('.fr-notice__title')).toHaveText(
    await expectedBanner(page, snap.meta, snap.header.createdAt),
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour|Tableau de bord/);
  // No sync control, no status bar, nobody logged in on screen: the snapshot's frame only.
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toHaveCount(0);
  await expect(page.getByTestId('etat-attente')).toHaveCount(0);
  await expectReadOnly(page);
  const nav = page.getByRole('navigation', { name: /principal/i });
  await nav.getByRole('link', { name: 'Élus et cadres', exact: true }).click();
  for (const c of snap.of('contact', agent.collectiviteId!))
    await expect(page.locator('main').getByText(String(c.nom)).first()).toBeVisible();
  await shot(page, 'visionneuse-connecte');
  // While the snapshot is shown, the device's own copy is untouched (its sync is stopped).
  expect(await dumpDbs(page, APP_DBS)).toEqual(before);

  await page.getByRole('button', { name: 'Fermer l’instantané' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  await expect.poll(() => viewerDbNames(page)).toEqual([]);
  await waitSynced(page);
  await ctx.close();
});

test('deux onglets : chaque visionneuse a sa copie temporaire, que l’autre onglet n’efface pas ; un onglet fermé laisse la sienne au démarrage suivant', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const agent = await createUser({ collectiviteCode: 'commune:22278' });
  const bytes = await serverSnapshot(await apiLogin(agent), `collectivite:${agent.collectiviteId}`);
  const key = await serverKey();
  const snap = await readSnapshot(bytes, key);
  const ctx = await browser.newContext();
  await ctx.addInitScript((k) => localStorage.setItem('atlas.clesServeur', JSON.stringify([k])), key);
  const start = async () => {
    const p = await ctx.newPage();
    p.on('dialog', (d) => void d.accept());
    await p.goto(`${appUrl()}/#/`);
    await expect(p.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
    await expect.poll(() => databaseNames(p)).toContain('atlas-hors-ligne');
    return p;
  };
  const open = async (p: Page) => {
    await openWithChooser(p, 'saint-brieuc.atlas-instantane', bytes);
    await expect(p.getByTestId('bandeau-instantane').locator('.fr-notice__title')).toHaveText(
      await expectedBanner(p, snap.meta, snap.header.createdAt),
    );
    await expect(p.getByRole('heading', { level: 1 })).toHaveText(/Campagne de mise à jour|Tableau de bord/);
  };
  /** The snapshot's contacts and coopérations, read from the tab's own copy. */
  const expectShown = async (p: Page) => {
    const nav = p.getByRole('navigation', { name: /principal/i });
    await nav.getByRole('link', { name: 'Élus et cadres', exact: true }).click();
    await expect(p.getByRole('heading', { level: 1 })).toHaveText(/Élus et cadres/);
    for (const c of snap.of('contact', agent.collectiviteId!))
      await expect(p.locator('main').getByText(String(c.nom)).first()).toBeVisible();
    await nav.getByRole('link', { name: 'Coopérations', exact: true }).click();
    await expect(p.getByRole('heading', { level: 1 })).toHaveText(/[Cc]oopération/);
    for (const c of snap
      .of('partenariat', agent.collectiviteId!)
      .filter((x) => x.nature === 'cooperation_decentralisee'))
      await expect(p.locator('main').getByText(String(c.nomPartenaire)).first()).toBeVisible();
    await expect(p.locator('.fr-header__service-tagline')).toHaveText(/ — instantané$/);
  };

  const first = await start();
  await open(first);
  const [firstDb] = await viewerDbNames(first);
  expect(firstDb).toBeTruthy();

  // A second tab starts the app (its start-up clean-up runs), then opens the same snapshot.
  const second = await start();
  expect(await viewerDbNames(second)).toEqual([firstDb]);
  await open(second);
  const both = await viewerDbNames(second);
  expect(both).toHaveLength(2);
  expect(both).toContain(firstDb);
  const secondDb = both.find((n) => n !== firstDb)!;

  // The first tab still reads its own copy.
  await first.bringToFront();
  await expectShown(first);
  await first.getByRole('button', { name: 'Fermer l’instantané' }).click();
  await expect(first.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’Atlas hors ligne');
  await expect.poll(() => viewerDbNames(first)).toEqual([secondDb]);

  await second.bringToFront();
  await expectShown(second);
  // The second tab closes while it shows the snapshot: its lock goes with it, its copy at the next start.
  await second.close();
  const third = await start();
  await expect.poll(() => viewerDbNames(third)).toEqual([]);
  await ctx.close();
});
