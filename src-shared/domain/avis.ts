import { z } from 'zod';
import { date, entity, enumOf, optionalText, text, uuid } from './fields';

const AVIS_VALEURS = ['favorable', 'reserve', 'defavorable'] as const;
export const AVIS_LABELS = { favorable: 'Favorable', reserve: 'Réservé', defavorable: 'Défavorable' } as const;
const STATUTS_INSTRUCTION = ['a_instruire', 'en_cours', 'instruit'] as const;
export const STATUT_INSTRUCTION_LABELS = {
  a_instruire: 'À instruire',
  en_cours: 'En cours',
  instruit: 'Instruit',
} as const;

/** Written by the SGAR on a fiche-projet; agents read it only. */
export const avisSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  ficheProjetId: uuid('Fiche-projet'),
  avis: enumOf('Avis', AVIS_VALEURS, AVIS_LABELS),
  commentaire: optionalText('Commentaire', { max: 2_000 }),
  statutInstruction: enumOf("Statut d'instruction", STATUTS_INSTRUCTION, STATUT_INSTRUCTION_LABELS),
  auteur: text('Auteur', { max: 200 }),
  date: date('Date'),
});
export type Avis = z.infer<typeof avisSchema>;
