// RGAA / WCAG 2.1 AA: axe-core on every screen, in the light and the dark theme; a keyboard-only run.
import type { Page } from '@playwright/test';
import {
  appUrl,
  createUser,
  expect,
  expectNoAxeViolations,
  field,
  login,
  shot,
  test,
  waitSynced,
} from './support/fixtures';
import { emitUpdate, useFakeElectron } from './support/fakeElectron';

const SCREENS: { name: string; path: string; ready: (p: Page) => Promise<void> }[] = [
  {
    name: 'tableau-de-bord',
    path: '/',
    ready: async (p) => {
      await expect(p.getByTestId('partie-apd')).toBeVisible();
    },
  },
  {
    name: 'contacts',
    path: '/contacts',
    ready: async (p) => {
      await expect(p.getByRole('table')).toBeVisible();
    },
  },
  {
    name: 'contact-formulaire-erreurs',
    path: '/contacts/nouveau',
    ready: async (p) => {
      await p.getByRole('button', { name: 'Enregistrer' }).click();
      await expect(p.getByText('Le formulaire contient')).toBeVisible();
    },
  },
  {
    name: 'reseaux-liste',
    path: '/reseaux',
    ready: async (p) => {
      await expect(p.getByRole('table')).toBeVisible();
    },
  },
  {
    name: 'reseaux',
    path: '/reseaux/nouveau',
    ready: async (p) => {
      await expect(field(p, 'Réseau')).toBeVisible();
    },
  },
  {
    name: 'cooperations',
    path: '/cooperations',
    ready: async (p) => {
      await expect(p.getByRole('heading', { level: 2 }).first()).toBeVisible();
    },
  },
  {
    name: 'actions',
    path: '/actions',
    ready: async (p) => {
      await expect(p.getByRole('heading', { level: 1 })).toBeVisible();
    },
  },
  {
    name: 'partenariat',
    path: '/partenariats/nouveau?nature=cooperation_decentralisee',
    ready: async (p) => {
      await field(p, 'Nom du partenaire').fill('BAMAKO');
      await expect(p.getByText('écrit en majuscules')).toBeVisible();
    },
  },
  {
    name: 'fiches',
    path: '/fiches',
    ready: async (p) => {
      await expect(p.getByTestId('nombre-fiches')).toBeVisible();
    },
  },
  {
    name: 'apd',
    path: '/apd',
    ready: async (p) => {
      await expect(p.getByRole('table').first()).toBeVisible();
    },
  },
  {
    name: 'carte',
    path: '/carte',
    ready: async (p) => {
      await expect(p.locator('.leaflet-container')).toBeVisible();
    },
  },
  {
    name: 'synchronisation',
    path: '/synchronisation',
    ready: async (p) => {
      await expect(p.getByRole('heading', { name: /Conflits/ })).toBeVisible();
    },
  },
  {
    name: 'recherche',
    path: '/recherche?q=a',
    ready: async (p) => {
      await expect(p.getByRole('status').filter({ hasText: 'résultat' })).toBeVisible();
    },
  },
  {
    name: 'mot-de-passe',
    path: '/mot-de-passe/reinitialiser?token=jeton-de-test-0123456789',
    ready: async (p) => {
      await expect(p.getByRole('heading', { level: 1 })).toHaveText('Choisir un nouveau mot de passe');
      await p.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
      await expect(p.getByText('Le formulaire contient')).toBeVisible();
    },
  },
];

/** Screens of the seed's own records, whose addresses are read from the lists. */
async function recordScreens(page: Page, apdYear: number): Promise<typeof SCREENS> {
  const hrefOf = async (path: string, link: ReturnType<Page['locator']>) => {
    await page.goto(`${appUrl()}/#${path}`);
    await expect(link).toBeVisible();
    return (await link.getAttribute('href'))!.slice(1);
  };
  const fiche = await hrefOf('/fiches', page.getByRole('table').getByRole('link').first());
  const partenariat = await hrefOf('/cooperations', page.locator('main table a[href^="#/partenariats/"]').first());
  const contact = await hrefOf('/contacts', page.locator('main table a[href^="#/contacts/"]').first());
  return [
    {
      name: 'fiche-projet',
      path: fiche,
      ready: async (p) => {
        await expect(field(p, 'Intitulé')).toBeVisible();
      },
    },
    {
      name: 'partenariat-existant',
      path: partenariat,
      ready: async (p) => {
        await expect(p.getByRole('heading', { name: 'Fiches-projets de ce partenariat' })).toBeVisible();
      },
    },
    {
      name: 'contact-modification',
      path: contact,
      ready: async (p) => {
        await expect(p.getByRole('heading', { name: /^Modifier / })).toBeVisible();
      },
    },
    // The seed has no APD declaration: opened (created on first visit) through its own form, a year per theme.
    {
      name: 'apd-declaration',
      path: '/apd',
      ready: async (p) => {
        await field(p, 'Année de la déclaration').fill(String(apdYear));
        await p.getByRole('button', { name: 'Ouvrir ou créer la déclaration de cette année' }).click();
        await expect(p.getByRole('heading', { name: new RegExp(`^Déclaration ${apdYear}`) })).toBeVisible();
        await expect(p.getByRole('button', { name: 'Ajouter la ligne' })).toBeVisible();
        // The pointer stays on the button just clicked: its hover state is judged too (app.css, dark theme).
      },
    },
    {
      name: 'tableau-de-bord-conseils',
      path: '/',
      ready: async (p) => {
        await expect(p.getByTestId('partie-apd')).toBeVisible();
        // Open every part's advice, so their lists are checked too.
        for (const summary of await p.locator('[data-testid="conseils-partie"] summary').all()) await summary.click();
      },
    },
  ];
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe : zéro violation sur chaque écran (thème ${scheme === 'light' ? 'clair' : 'sombre'})`, async ({
    page,
    browser,
  }) => {
    test.setTimeout(300_000);
    await page.emulateMedia({ colorScheme: scheme });
    // A seeded collectivité, so lists, fiches and the map have content.
    const user = await createUser({ collectiviteCode: 'commune:22278' });
    await login(page, user);
    await expect(page.locator('html')).toHaveAttribute('data-fr-theme', scheme);
    for (const s of [...SCREENS, ...(await recordScreens(page, scheme === 'light' ? 2022 : 2021))]) {
      await page.goto(`${appUrl()}/#${s.path}`);
      await s.ready(page);
      await expectNoAxeViolations(page, `${s.name} (${scheme})`);
      await shot(page, `axe-${scheme}-${s.name}`);
    }
    // Logged out: the Connexion screen and its tabs.
    const ctx = await browser.newContext({ colorScheme: scheme });
    const out = await ctx.newPage();
    await out.goto(`${appUrl()}/#/`);
    for (const tab of ['Se connecter', 'Demander un compte', 'Mot de passe oublié', 'Adresse du serveur']) {
      await out.getByRole('tab', { name: tab }).click();
      await expectNoAxeViolations(out, `connexion/${tab} (${scheme})`);
    }
    await out.getByRole('tab', { name: 'Demander un compte' }).click();
    await field(out, 'Votre collectivité').fill('Allin');
    await expect(out.getByRole('radio').first()).toBeVisible();
    await expectNoAxeViolations(out, `connexion/recherche (${scheme})`);
    await shot(out, `axe-${scheme}-connexion`);
    await ctx.close();

    // SGAR: the choice of a collectivité in its région.
    const sgarCtx = await browser.newContext({ colorScheme: scheme });
    const sgar = await sgarCtx.newPage();
    const sgarUser = await createUser({ role: 'sgar' });
    await sgar.goto(`${appUrl()}/#/`);
    await field(sgar, 'Adresse électronique').fill(sgarUser.email);
    await field(sgar, 'Mot de passe').fill(sgarUser.password);
    await sgar.getByRole('button', { name: 'Se connecter' }).click();
    await expect(sgar.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord régional — Bretagne', {
      timeout: 30_000,
    });
    await waitSynced(sgar);
    await sgar.getByRole('button', { name: 'Changer de collectivité' }).first().click();
    await expect(sgar.getByRole('heading', { level: 1 })).toHaveText('Choisir une collectivité');
    // The list is drawn (other specs add communes to the shared server: Saint-Brieuc may be past the first hundred).
    await expect(sgar.getByRole('list', { name: 'Collectivités' }).getByRole('button').first()).toBeVisible();
    await expectNoAxeViolations(sgar, `choix de la collectivité, SGAR (${scheme})`);
    await shot(sgar, `axe-${scheme}-choix-collectivite`);
    await sgarCtx.close();

    // The update notice (desktop only: shown through the fake main process).
    const majCtx = await browser.newContext({ colorScheme: scheme });
    const maj = await majCtx.newPage();
    await useFakeElectron(maj);
    await login(maj, await createUser());
    await emitUpdate(maj, { state: 'ready', version: '1.4.0' });
    await expect(maj.getByTestId('mise-a-jour')).toContainText('Une nouvelle version (1.4.0) est prête.');
    await expectNoAxeViolations(maj, `avis de mise à jour (${scheme})`);
    await shot(maj, `axe-${scheme}-mise-a-jour`);
    await majCtx.close();
  });
}

/** Presses Tab until the target has the focus: what a keyboard user does. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 300): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Focus jamais atteint : ${target.toString()}`);
}

test('clavier seul : ajouter un contact, ajouter une fiche-projet, attester une partie', async ({ page }) => {
  test.setTimeout(120_000);
  const user = await createUser({ collectiviteCode: 'commune:35238' });
  await login(page, user);
  const k = page.keyboard;

  // Add a contact.
  await tabTo(page, page.getByRole('link', { name: 'Élus et cadres' }).first());
  await k.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await tabTo(page, page.getByRole('link', { name: 'Ajouter un élu ou un cadre' }));
  await k.press('Enter');
  await tabTo(page, field(page, 'Catégorie'));
  await field(page, 'Catégorie').press('ArrowDown'); // first option after the placeholder: Élu
  await expect(field(page, 'Catégorie')).toHaveValue('elu');
  await tabTo(page, field(page, 'Prénom'));
  await k.type('Loïc');
  await k.press('Tab');
  await k.type('Le Bihan');
  await k.press('Tab');
  await k.type('Conseiller délégué');
  await k.press('Tab');
  await k.type('loic.lebihan@mairie-exemple.fr');
  await k.press('Enter');
  await expect(page.getByRole('row').filter({ hasText: 'Loïc Le Bihan' })).toBeVisible();

  // Add a fiche-projet to the first partnership.
  await tabTo(page, page.getByRole('link', { name: 'Coopérations' }).first());
  await k.press('Enter');
  await tabTo(page, page.locator('main table a').first());
  await k.press('Enter');
  await tabTo(page, page.getByRole('link', { name: 'Ajouter une fiche-projet' }));
  await k.press('Enter');
  await tabTo(page, field(page, 'Intitulé'));
  await k.type('Formation des agents municipaux');
  await k.press('Tab');
  await k.type('Deux sessions de formation à la gestion de l’état civil pour les agents de la commune partenaire.');
  await tabTo(page, page.getByRole('checkbox', { name: 'Appui institutionnel et gouvernance locale' }));
  await k.press('Space');
  await tabTo(page, field(page, 'Statut'));
  await field(page, 'Statut').press('ArrowDown');
  await k.press('Tab');
  await k.type('01022025'); // date input: JJ MM AAAA in French
  await tabTo(page, page.getByRole('button', { name: 'Enregistrer la fiche-projet' }));
  await k.press('Enter');
  await expect(page.getByRole('link', { name: 'Formation des agents municipaux' })).toBeVisible();

  // Verify a part.
  await tabTo(page, page.getByRole('link', { name: 'Tableau de bord' }).first());
  await k.press('Enter');
  const card = page.getByTestId('partie-contacts');
  await tabTo(page, card.getByRole('button', { name: /J’ai vérifié cette partie/ }));
  await k.press('Enter');
  await expect(card.getByTestId('etat-partie')).toContainText('Vérifiée le');
  await shot(page, 'clavier-seul');
});
