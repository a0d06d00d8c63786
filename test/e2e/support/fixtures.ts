// Shared helpers of the browser tests: users made on the real server, login through the real screen,
// a screenshot of each test's screen, and axe checks.
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type Download,
  type Locator,
  type Page,
} from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function serverInfo(): { url: string; control: string } {
  if (process.env.E2E_URL && process.env.E2E_CONTROL)
    return { url: process.env.E2E_URL, control: process.env.E2E_CONTROL };
  return JSON.parse(readFileSync(join(root, 'test-results', 'e2e-server.json'), 'utf8'));
}

export interface E2EUser {
  id: string;
  email: string;
  password: string;
  collectiviteId: string | null;
  collectiviteCode: string | null;
}

export async function createUser(
  opts: { role?: 'agent' | 'sgar' | 'daect'; collectiviteCode?: string; region?: string } = {},
): Promise<E2EUser> {
  const role = opts.role ?? 'agent';
  const r = await fetch(`${serverInfo().control}/users`, {
    method: 'POST',
    body: JSON.stringify({ role, collectiviteCode: opts.collectiviteCode ?? 'fresh', region: opts.region }),
  });
  if (!r.ok) throw new Error(`createUser: ${r.status} ${await r.text()}`);
  return (await r.json()) as E2EUser;
}

export async function serverRecord(entity: string, id: string): Promise<Record<string, unknown> | null> {
  const r = await fetch(`${serverInfo().control}/records`, { method: 'POST', body: JSON.stringify({ entity, id }) });
  const j = (await r.json()) as { rows: Record<string, unknown>[] };
  return j.rows[0] ?? null;
}

/** Adds `add` communes of Bretagne to the server, then says how many live collectivités région `region` holds there. */
export async function regionCollectivites(region: string, add = 0): Promise<number> {
  const r = await fetch(`${serverInfo().control}/collectivites`, {
    method: 'POST',
    body: JSON.stringify({ region, add }),
  });
  if (!r.ok) throw new Error(`regionCollectivites: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { count: number }).count;
}

/** The live rows of the national figures on the server (collectivités, partenariats, fiches count, campaigns, attestations). */
export async function serverNational(): Promise<{
  collectivites: {
    id: string;
    nom: string;
    code: string;
    type: string;
    departement: string | null;
    region: string | null;
  }[];
  partenariats: { collectiviteId: string; nature: string; pays: string; nomPartenaire: string }[];
  fiches: number;
  campagnes: { id: string; annee: number; dateOuverture: string; dateCloture: string }[];
  attestations: {
    id: string;
    collectiviteId: string;
    campagneId: string;
    partie: string;
    verifieeLe: string;
    par: string;
  }[];
}> {
  const r = await fetch(`${serverInfo().control}/national`, { method: 'POST' });
  if (!r.ok) throw new Error(`serverNational: ${r.status} ${await r.text()}`);
  return (await r.json()) as Awaited<ReturnType<typeof serverNational>>;
}

/**
 * The server's live records of a scope (entity → id → record, every field as the pull sends it): the
 * server's copy, read at the moment of the call (another spec may add records meanwhile).
 */
export async function serverScopeCopy(
  scope: { role: 'agent'; collectiviteId: string } | { role: 'sgar'; region: string } | { role: 'daect' },
): Promise<Record<string, Record<string, Record<string, unknown>>>> {
  const r = await fetch(`${serverInfo().control}/copy`, { method: 'POST', body: JSON.stringify({ scope }) });
  if (!r.ok) throw new Error(`serverScopeCopy: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { copy: Record<string, Record<string, Record<string, unknown>>> }).copy;
}

/** The revision of every live record of a scope (entity → id → sync_rev), read at the moment of the call. */
export async function serverScopeRevs(
  scope: { role: 'agent'; collectiviteId: string } | { role: 'sgar'; region: string } | { role: 'daect' },
): Promise<Record<string, Record<string, number>>> {
  const r = await fetch(`${serverInfo().control}/revs`, { method: 'POST', body: JSON.stringify({ scope }) });
  if (!r.ok) throw new Error(`serverScopeRevs: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { revs: Record<string, Record<string, number>> }).revs;
}

/** The live records of région `region` (and every campaign), as the server's database holds them (table rows). */
export async function regionRecords(region: string): Promise<Record<string, Record<string, unknown>[]>> {
  const r = await fetch(`${serverInfo().control}/region`, { method: 'POST', body: JSON.stringify({ region }) });
  if (!r.ok) throw new Error(`regionRecords: ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, Record<string, unknown>[]>;
}

export interface AuditRow {
  change_id: string;
  rev: string | number;
  user_id: string;
  device_id: string;
  entity: string;
  record_id: string;
  field: string | null;
}
/** The server's audit rows of these records, and the carrier of each change that came by file. */
export async function serverAudit(
  records: string[],
): Promise<{ audit: AuditRow[]; carried: { change_id: string; carrier_id: string }[] }> {
  const r = await fetch(`${serverInfo().control}/audit`, { method: 'POST', body: JSON.stringify({ records }) });
  if (!r.ok) throw new Error(`serverAudit: ${r.status} ${await r.text()}`);
  return (await r.json()) as Awaited<ReturnType<typeof serverAudit>>;
}

export const appUrl = () => serverInfo().url;

/** Logs in through the Connexion screen and waits for the first sync to finish. */
export async function login(page: Page, user: E2EUser): Promise<void> {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(
    /Campagne|Tableau de bord|Choisir une collectivité/,
    {
      timeout: 30_000,
    },
  );
  await waitSynced(page);
}

/** Logs a DAECT in through the Connexion screen: its home is the national dashboard. */
export async function loginDaect(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${appUrl()}/#/`);
  await page.getByLabel('Adresse électronique').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord national', { timeout: 60_000 });
  await waitSynced(page);
}

/** Messages the server wrote for one address (decoded text), oldest first. */
export async function mailsTo(to: string): Promise<string[]> {
  const r = await fetch(`${serverInfo().control}/mail`, { method: 'POST', body: JSON.stringify({ to }) });
  return ((await r.json()) as { mails: string[] }).mails;
}

/** Waits for a message to `to` that matches `re`, and returns it. */
export async function waitForMail(to: string, re: RegExp): Promise<string> {
  await expect
    .poll(async () => (await mailsTo(to)).some((m) => re.test(m)), { message: `courriel pour ${to}` })
    .toBe(true);
  return (await mailsTo(to)).find((m) => re.test(m))!;
}

/**
 * Two colleagues of one collectivité, each logged in in a browser context of their own (dialogs
 * accepted): the setup of every test where two devices meet on the same data.
 */
export async function twoColleagues(
  browser: Browser,
): Promise<{ a: E2EUser; b: E2EUser; ctxA: BrowserContext; ctxB: BrowserContext; pa: Page; pb: Page }> {
  const a = await createUser();
  const b = await createUser({ collectiviteCode: a.collectiviteCode! });
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  const pa = await ctxA.newPage();
  const pb = await ctxB.newPage();
  for (const p of [pa, pb]) p.on('dialog', (d) => void d.accept());
  await login(pa, a);
  await login(pb, b);
  return { a, b, ctxA, ctxB, pa, pb };
}

export async function waitSynced(page: Page): Promise<void> {
  await expect(page.getByTestId('etat-attente')).toHaveText('Tout est synchronisé', { timeout: 30_000 });
}

/**
 * Starts a sync and waits for a cycle that ended after the click: "Tout est synchronisé" may still be
 * on screen from before a write that the status has not counted yet.
 */
export async function syncNow(page: Page): Promise<void> {
  const status = page.getByTestId('etat-attente');
  const before = (await status.getAttribute('data-derniere-synchro')) ?? '';
  await page.getByRole('button', { name: 'Synchroniser maintenant' }).first().click();
  await expect(status).not.toHaveAttribute('data-derniere-synchro', before, { timeout: 30_000 });
  await waitSynced(page);
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(root, 'test-results', 'screenshots', `${name}.png`), fullPage: true });
}

// axe-core itself, put once in each document: the app is one page whose screens change by the hash, so
// one copy checks them all. (@axe-core/playwright put it in again and opened a blank page for every
// check: about 1.2 s more per check, over 80 checks a run.)
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
type Axe = typeof import('axe-core');

export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const summary = await page.evaluate(async (tags) => {
    // The settled screen: a DSFR modal fades in (0.3 s), and half-transparent text fails the contrast check.
    const ending = document.getAnimations().filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime));
    await Promise.all(ending.map((a) => a.finished.catch(() => undefined)));
    const axe = (window as unknown as { axe: Axe }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
  }, AXE_TAGS);
  expect(summary, `axe sur ${label}`).toEqual([]);
}

/** Accept every confirm() (leave guard, delete confirmations) unless a test handles dialogs itself. */
export const test = base.extend<{ autoDialogs: void }>({
  autoDialogs: [
    async ({ page }, use) => {
      page.on('dialog', (d) => void d.accept());
      await use();
    },
    { auto: true },
  ],
});
export { expect };

/** A form control by the start of its label (labels carry "(obligatoire)" and hints after the name). */
export function field(page: Page, label: string) {
  const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^${esc}(?: \\*)?(?: \\(obligatoire\\))?(?:$|\\s?[A-ZÀ-Ý0-9])`));
}

/** DSFR draws checkboxes on their label: tick through the label as a user does. */
export async function tick(page: Page, name: string | RegExp, on = true): Promise<void> {
  const box = page.getByRole('checkbox', { name });
  if ((await box.isChecked()) !== on) await page.locator(`label[for="${await box.getAttribute('id')}"]`).click();
  await expect(box).toBeChecked({ checked: on });
}

/** Adds an action extérieure from the list of part d (already on screen) and returns its id once saved. */
export async function addAction(page: Page, pays: string, nom: string): Promise<string> {
  await page.getByRole('link', { name: 'Ajouter une action extérieure' }).click();
  await field(page, 'Pays').selectOption({ label: pays });
  await field(page, 'Nom du partenaire').fill(nom);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(nom);
  return new URL(page.url()).hash.split('/').pop()!;
}

/** Fills and saves a new élu from « Élus et cadres »; returns its row in the list (not waited for). */
async function saveElu(
  page: Page,
  e: { prenom: string; nom: string; titre: string; courriel: string },
): Promise<Locator> {
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(page, 'Catégorie').selectOption('elu');
  await field(page, 'Prénom').fill(e.prenom);
  await field(page, 'Nom').fill(e.nom);
  await field(page, 'Titre / fonction').fill(e.titre);
  await field(page, 'Courriel').fill(e.courriel);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  return page.getByRole('row').filter({ hasText: `${e.prenom} ${e.nom}` });
}

async function rowRecordId(row: Locator): Promise<string> {
  return (await row.getByRole('link', { name: /Modifier/ }).getAttribute('href'))!.split('/').pop()!;
}

/** Adds a maire to « Élus et cadres » and returns its id once listed. */
export async function addContact(page: Page, prenom: string, nom: string): Promise<string> {
  const row = await saveElu(page, {
    prenom,
    nom,
    titre: 'Maire',
    courriel: `${prenom.toLowerCase()}@mairie-exemple.fr`,
  });
  await expect(row).toBeVisible();
  return rowRecordId(row);
}

/** Adds an élu on a device offline and returns its id once listed as waiting to be sent. */
export async function addPendingElu(
  page: Page,
  e: { prenom: string; nom: string; titre: string; courriel: string },
): Promise<string> {
  const row = await saveElu(page, e);
  await expect(row.getByTestId('statut-enregistrement')).toHaveText('En attente d’envoi');
  return rowRecordId(row);
}

/** Cuts the network of this page's context once the service worker holds the app (the app keeps working). */
export async function goOffline(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.context().setOffline(true);
}

/** Saves this device's pending changes in a .atlas-modifs file from the Synchronisation screen. */
export async function savePacket(page: Page): Promise<Download> {
  await page.getByRole('link', { name: 'Synchronisation' }).first().click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Enregistrer mes modifications dans un fichier' }).click();
  return download;
}

/**
 * Whole-record convergence as a person can check it: the synchronisation screen's "Vérifier la copie"
 * compares every field of every record of this device with the server's (digests per bucket) and must
 * find them identical — a repair here would mean the copy had drifted.
 */
export async function expectCopyMatchesServer(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Synchronisation', exact: true }).first().click();
  await page.getByRole('button', { name: 'Vérifier la copie' }).click();
  const verdict = page.getByTestId('verification-copie');
  await expect(verdict).toHaveAttribute('data-etat', /done|error/, { timeout: 60_000 });
  await expect(verdict).toHaveText(
    /^La copie de ce poste est identique à celle du serveur \([\d  ]+ enregistrements vérifiés\)\.$/,
  );
}
