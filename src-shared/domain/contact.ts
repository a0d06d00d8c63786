import { z } from 'zod';
import { email, entity, enumOf, optionalPhone, text, uuid } from './fields';

export const CONTACT_CATEGORIES = ['elu', 'cadre'] as const;
export const CONTACT_CATEGORIE_LABELS = { elu: 'Élu', cadre: 'Cadre territorial' } as const;
export const CIVILITES = ['M.', 'Mme'] as const;
export const CIVILITE_LABELS = { 'M.': 'Monsieur', Mme: 'Madame' } as const;

/** Élus et cadres (part a). Personal data: minimal fields, deletion propagates everywhere. */
export const contactSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  categorie: enumOf('Catégorie', CONTACT_CATEGORIES, CONTACT_CATEGORIE_LABELS),
  civilite: enumOf('Civilité', CIVILITES, CIVILITE_LABELS).nullable().default(null),
  prenom: text('Prénom', { max: 100 }),
  nom: text('Nom', { max: 100 }),
  fonction: text('Titre / fonction', { max: 200 }),
  courriel: email('Courriel'),
  telephone: optionalPhone('Téléphone'),
});
export type Contact = z.infer<typeof contactSchema>;
