import { z } from 'zod';
import { date, entity, enumOf, int, optionalText, text, uuid } from './fields';

const AVIS_VALEURS = ['favorable', 'reserve', 'defavorable'] as const;
export const AVIS_LABELS = { favorable: 'Favorable', reserve: 'Réservé', defavorable: 'Défavorable' } as const;
const STATUTS_INSTRUCTION = ['a_instruire', 'en_cours', 'instruit'] as const;
export const STATUT_INSTRUCTION_LABELS = {
  a_instruire: 'À instruire',
  en_cours: 'En cours',
  instruit: 'Instruit',
} as const;

/**
 * Written by the SGAR of the fiche's région (or the DAECT) on a fiche-projet; agents read it only. One avis
 * per author and fiche (no natural key: two services may each give theirs). `ficheRevision`: the version of
 * the fiche the avis was given on — the highest revision of the fiche's fields on the author's device — so
 * a fiche changed since shows that the avis concerns an earlier version (null: not known, the fiche was
 * not yet synchronised, or an avis given before the field existed).
 */
export const avisSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  ficheProjetId: uuid('Fiche-projet'),
  avis: enumOf('Avis', AVIS_VALEURS, AVIS_LABELS),
  commentaire: optionalText('Commentaire', { max: 2_000 }),
  statutInstruction: enumOf("Statut d'instruction", STATUTS_INSTRUCTION, STATUT_INSTRUCTION_LABELS),
  auteur: text('Auteur', { max: 200 }),
  date: date('Date'),
  ficheRevision: int('Version de la fiche', 0, 2_000_000_000).nullable().default(null),
});
export type Avis = z.infer<typeof avisSchema>;
