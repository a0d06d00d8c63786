// Issue 11, item 2, in real browsers: a form left open while a colleague edits the same record and a
// sync brings the edit in. The form follows untouched fields, shows « Modifié entre-temps » next to a
// field the person changed, and the save sends only what the person changed: on the server, the whole
// record is the colleague's values plus the person's change.
import type { Page } from '@playwright/test';
import { contactSchema } from '../../src-shared/domain/contact';
import {
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  serverRecord,
  shot,
  syncNow,
  test,
  twoColleagues,
} from './support/fixtures';

const FIELDS = Object.keys(contactSchema.shape);

async function addContact(p: Page, prenom: string, nom: string, fonction: string, courriel: string): Promise<string> {
  await p.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await p.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(p, 'Catégorie').selectOption('elu');
  await field(p, 'Prénom').fill(prenom);
  await field(p, 'Nom').fill(nom);
  await field(p, 'Titre / fonction').fill(fonction);
  await field(p, 'Courriel').fill(courriel);
  await p.getByRole('button', { name: 'Enregistrer' }).click();
  const row = p.getByRole('row').filter({ hasText: `${prenom} ${nom}` });
  await expect(row).toBeVisible();
  return (await row.getByRole('link', { name: /Modifier/ }).getAttribute('href'))!.split('/').pop()!;
}

async function openEdit(p: Page, name: string): Promise<void> {
  await p.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await p
    .getByRole('row')
    .filter({ hasText: name })
    .getByRole('link', { name: /Modifier/ })
    .click();
  await expect(p.getByRole('heading', { name: `Modifier ${name}` })).toBeVisible();
}

/** The server's row, every field of the schema. */
async function serverContact(id: string): Promise<Record<string, unknown>> {
  const row = await serverRecord('contact', id);
  expect(row).not.toBeNull();
  return Object.fromEntries(FIELDS.map((f) => [f, row![f] ?? null]));
}

test('formulaire resté ouvert : la modification d’un collègue n’est pas écrasée, le champ touché affiche « Modifié entre-temps »', async ({
  browser,
}) => {
  const { a, ctxA, ctxB, pa, pb } = await twoColleagues(browser);
  const id = await addContact(pa, 'Gwenaëlle', 'Le Goff', 'Maire', 'gwenaelle.legoff@mairie-exemple.fr');
  await syncNow(pa);
  await syncNow(pb);

  // A opens the form and changes the courriel and the téléphone, without saving.
  await openEdit(pa, 'Gwenaëlle Le Goff');
  await field(pa, 'Courriel').fill('g.legoff@mairie-exemple.fr');
  await field(pa, 'Téléphone').fill('02 98 11 11 11');

  // Meanwhile B changes the fonction and the téléphone, and syncs.
  await openEdit(pb, 'Gwenaëlle Le Goff');
  await field(pb, 'Titre / fonction').fill('Maire et conseillère départementale');
  await field(pb, 'Téléphone').fill('02 98 22 22 22');
  await pb.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pb.getByRole('row').filter({ hasText: 'Maire et conseillère départementale' })).toBeVisible();
  await syncNow(pb);

  // A's sync brings B's edit in while the form stays open.
  await syncNow(pa);
  await expect(field(pa, 'Titre / fonction')).toHaveValue('Maire et conseillère départementale');
  const note = pa.getByTestId('modifie-entre-temps');
  await expect(note).toHaveCount(1);
  await expect(note).toHaveText('Modifié entre-temps sur un autre poste : « 02 98 22 22 22 »');
  // Announced politely and tied to the field it is about.
  const phone = field(pa, 'Téléphone');
  await expect(phone).toHaveValue('02 98 11 11 11');
  const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
  const noteRegion = pa.locator('[aria-live="polite"]').filter({ has: note });
  const regionId = await noteRegion.getAttribute('id');
  expect(describedBy.split(' ')).toContain(regionId);
  await expect(field(pa, 'Courriel')).toHaveValue('g.legoff@mairie-exemple.fr');
  await shot(pa, 'formulaire-modifie-entre-temps');
  await expectNoAxeViolations(pa, 'formulaire avec « Modifié entre-temps »');

  // A takes B's téléphone and saves: only the courriel is A's change.
  await pa.getByRole('button', { name: /Reprendre cette valeur/ }).click();
  await expect(phone).toHaveValue('02 98 22 22 22');
  await expect(note).toHaveCount(0);
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pa.getByRole('row').filter({ hasText: 'g.legoff@mairie-exemple.fr' })).toBeVisible();
  await syncNow(pa);
  await syncNow(pb);

  const expected = {
    id,
    collectiviteId: a.collectiviteId,
    categorie: 'elu',
    civilite: null,
    prenom: 'Gwenaëlle',
    nom: 'Le Goff',
    fonction: 'Maire et conseillère départementale',
    courriel: 'g.legoff@mairie-exemple.fr',
    telephone: '02 98 22 22 22',
  };
  expect(await serverContact(id)).toEqual(expected);
  for (const p of [pa, pb]) {
    await p.getByRole('link', { name: 'Élus et cadres' }).first().click();
    const row = p.getByRole('row').filter({ hasText: 'Gwenaëlle Le Goff' });
    await expect(row).toContainText('Maire et conseillère départementale');
    await expect(row).toContainText('g.legoff@mairie-exemple.fr');
    await expect(row).toContainText('02 98 22 22 22');
    await expect(row.getByTestId('statut-enregistrement')).toHaveText('Synchronisé');
  }
  await expect(pa.getByRole('link', { name: /conflit à résoudre/ })).toHaveCount(0);
  await ctxA.close();
  await ctxB.close();
});

test('formulaire resté ouvert : garder sa valeur sur un champ modifié entre-temps donne un conflit, jamais un écrasement', async ({
  browser,
}) => {
  const { ctxA, ctxB, pa, pb } = await twoColleagues(browser);
  const id = await addContact(pa, 'Erwan', 'Prigent', 'Adjoint', 'erwan.prigent@mairie-exemple.fr');
  await syncNow(pa);
  await syncNow(pb);
  await openEdit(pa, 'Erwan Prigent');
  await field(pa, 'Titre / fonction').fill('Adjoint aux finances');
  await openEdit(pb, 'Erwan Prigent');
  await field(pb, 'Titre / fonction').fill('Adjoint à la culture');
  await pb.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pb.getByRole('row').filter({ hasText: 'Adjoint à la culture' })).toBeVisible();
  await syncNow(pb);
  await syncNow(pa);
  await expect(pa.getByTestId('modifie-entre-temps')).toHaveText(
    'Modifié entre-temps sur un autre poste : « Adjoint à la culture »',
  );
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pa.getByRole('row').filter({ hasText: 'Adjoint aux finances' })).toBeVisible();
  await pa.getByRole('button', { name: 'Synchroniser maintenant' }).first().click();
  await expect(pa.getByRole('link', { name: /1 conflit à résoudre/ })).toBeVisible({ timeout: 30_000 });
  expect((await serverContact(id)).fonction).toBe('Adjoint à la culture');
  await ctxA.close();
  await ctxB.close();
});

test('passer directement de la modification d’un contact à celle d’un autre : le formulaire montre le second, et l’enregistrer ne copie pas le premier', async ({
  browser,
}) => {
  const { ctxA, ctxB, pa } = await twoColleagues(browser);
  const x = await addContact(pa, 'Loïc', 'Morvan', 'Maire', 'loic.morvan@mairie-exemple.fr');
  const y = await addContact(pa, 'Soizic', 'Riou', 'Directrice générale des services', 'soizic.riou@mairie-exemple.fr');
  await syncNow(pa);
  await openEdit(pa, 'Loïc Morvan');
  // The list under the form offers "Modifier" on the other rows.
  await pa
    .getByRole('row')
    .filter({ hasText: 'Soizic Riou' })
    .getByRole('link', { name: /Modifier/ })
    .click();
  await expect(pa.getByRole('heading', { name: 'Modifier Soizic Riou' })).toBeVisible();
  await expect(field(pa, 'Nom')).toHaveValue('Riou');
  await expect(field(pa, 'Titre / fonction')).toHaveValue('Directrice générale des services');
  await field(pa, 'Téléphone').fill('02 98 33 33 33');
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pa.getByRole('row').filter({ hasText: '02 98 33 33 33' })).toContainText('Soizic Riou');
  await syncNow(pa);
  expect(await serverContact(x)).toMatchObject({ prenom: 'Loïc', nom: 'Morvan', fonction: 'Maire', telephone: null });
  expect(await serverContact(y)).toMatchObject({
    prenom: 'Soizic',
    nom: 'Riou',
    fonction: 'Directrice générale des services',
    telephone: '02 98 33 33 33',
  });
  await expect(pa.getByRole('row').filter({ hasText: 'Morvan' })).toHaveCount(1);
  await ctxA.close();
  await ctxB.close();
});

test('formulaire de création envoyé deux fois de suite : un seul enregistrement, pas de doublon', async ({ page }) => {
  await login(page, await createUser());
  await page.getByRole('link', { name: 'Élus et cadres' }).first().click();
  await page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }).click();
  await field(page, 'Catégorie').selectOption('cadre');
  await field(page, 'Prénom').fill('Nolwenn');
  await field(page, 'Nom').fill('Guillou');
  await field(page, 'Titre / fonction').fill('Chargée de mission');
  await field(page, 'Courriel').fill('nolwenn.guillou@mairie-exemple.fr');
  // Two submits before the first one is done (a double press on a slow machine, a replayed event).
  await page
    .locator('form')
    .filter({ has: page.getByRole('button', { name: 'Enregistrer' }) })
    .evaluate((f: HTMLFormElement) => {
      f.requestSubmit();
      f.requestSubmit();
    });
  await expect(page.getByRole('link', { name: 'Ajouter un élu ou un cadre' })).toBeVisible();
  await syncNow(page);
  const rows = page.getByRole('row').filter({ hasText: 'Nolwenn Guillou' });
  await expect(rows).toHaveCount(1);
  const id = (await rows.getByRole('link', { name: /Modifier/ }).getAttribute('href'))!.split('/').pop()!;
  expect(await serverContact(id)).toMatchObject({ nom: 'Guillou', fonction: 'Chargée de mission' });
});

/** Drafts saved on this device (the form autosaves one 400 ms after the last keystroke). */
function draftCount(p: Page): Promise<number> {
  return p.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('atlas-hors-ligne');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('drafts').objectStore('drafts').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

test('brouillon repris après qu’un collègue a modifié l’enregistrement : seuls les champs saisis reviennent, sa modification reste', async ({
  browser,
}) => {
  const { a, ctxA, ctxB, pa, pb } = await twoColleagues(browser);
  const id = await addContact(pa, 'Ronan', 'Le Bihan', 'Conseiller municipal', 'ronan.lebihan@mairie-exemple.fr');
  await syncNow(pa);
  await syncNow(pb);
  await openEdit(pa, 'Ronan Le Bihan');
  await field(pa, 'Téléphone').pressSequentially('02 98 44 44 44');
  await expect.poll(() => draftCount(pa)).toBe(1);
  await pa.reload();
  await expect(pa.getByText('Un brouillon non enregistré existe')).toBeVisible();

  await openEdit(pb, 'Ronan Le Bihan');
  await field(pb, 'Titre / fonction').fill('Premier adjoint');
  await pb.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pb.getByRole('row').filter({ hasText: 'Premier adjoint' })).toBeVisible();
  await syncNow(pb);
  await syncNow(pa);
  await expect(field(pa, 'Titre / fonction')).toHaveValue('Premier adjoint');

  await pa.getByRole('button', { name: 'Reprendre le brouillon' }).click();
  await expect(field(pa, 'Téléphone')).toHaveValue('02 98 44 44 44');
  await expect(field(pa, 'Titre / fonction')).toHaveValue('Premier adjoint');
  await pa.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(pa.getByRole('row').filter({ hasText: '02 98 44 44 44' })).toBeVisible();
  await syncNow(pa);
  expect(await serverContact(id)).toEqual({
    id,
    collectiviteId: a.collectiviteId,
    categorie: 'elu',
    civilite: null,
    prenom: 'Ronan',
    nom: 'Le Bihan',
    fonction: 'Premier adjoint',
    courriel: 'ronan.lebihan@mairie-exemple.fr',
    telephone: '02 98 44 44 44',
  });
  await ctxA.close();
  await ctxB.close();
});
