import { z } from 'zod';
import { CATEGORIES_APD, CATEGORIE_APD_CODES } from '../reference/categoriesApd';
import { MULTI_PAYS, PAYS_CODES } from '../reference/pays';
import { amount, currentYear, describeField, entity, enumOf, optionalText, uuid, year } from './fields';

/** Part e: one declaration per collectivité and year (natural key), its lines are records of their own. */
export const declarationApdSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  annee: describeField(year('Année de la déclaration', 2000, 2100), { column: 'Année' }).refine(
    (y) => y <= currentYear(),
    {
      error: '« Année de la déclaration » ne peut pas être dans le futur.',
    },
  ),
  commentaire: optionalText('Commentaire', { max: 2_000 }),
});
export type DeclarationApd = z.infer<typeof declarationApdSchema>;

export const ligneApdSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  declarationApdId: uuid('Déclaration'),
  pays: describeField(
    z.string({ error: '« Pays » est obligatoire.' }).refine((c) => c === MULTI_PAYS || PAYS_CODES.has(c), {
      error: '« Pays » : choisissez un pays de la liste ou « Multi-pays ».',
    }),
    { label: 'Pays', type: 'country' },
  ),
  categorie: describeField(enumOf('Catégorie', CATEGORIE_APD_CODES), {
    choices: Object.fromEntries(CATEGORIES_APD.map((c) => [c.code, c.label])),
  }),
  montant: amount('Montant', { positive: true }),
});
export type LigneApd = z.infer<typeof ligneApdSchema>;

/** Totals are computed, never typed. */
export function totalApd(lignes: readonly Pick<LigneApd, 'montant'>[]): number {
  return Math.round(lignes.reduce((s, l) => s + l.montant * 100, 0)) / 100;
}
