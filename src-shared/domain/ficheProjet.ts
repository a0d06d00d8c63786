import { z } from 'zod';
import { FINANCEUR_CODES } from '../reference/financeurs';
import { referenceCode } from './entreeReference';
import {
  LIMITS,
  amount,
  date,
  describeField,
  entity,
  enumOf,
  int,
  optionalAmount,
  optionalDate,
  optionalText,
  optionalUrl,
  reprise,
  text,
  uuid,
  whenValid,
} from './fields';

export const STATUTS_PROJET = ['en_projet', 'en_cours', 'termine', 'suspendu'] as const;
export const STATUT_PROJET_LABELS = {
  en_projet: 'En projet',
  en_cours: 'En cours',
  termine: 'Terminé',
  suspendu: 'Suspendu',
} as const;
export const DISPOSITIFS_UN_POUR_CENT = ['aucun', 'oudin_santini', 'dechets', 'energie'] as const;
export const DISPOSITIF_LABELS = {
  aucun: 'Aucun',
  oudin_santini: 'Loi Oudin-Santini (eau et assainissement)',
  dechets: 'Déchets (2014)',
  energie: 'Énergie (2021)',
} as const;

const cofinancementSchema = entity({
  financeur: enumOf('Financeur', FINANCEUR_CODES),
  montant: amount('Montant du cofinancement', { positive: true }),
});

export const ficheProjetSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  partenariatId: uuid('Partenariat'),
  intitule: text('Intitulé', { max: 300 }),
  description: text('Description / objectifs', { max: LIMITS.longText }),
  thematiques: describeField(
    z
      // Codes of the thématiques list (entreeReference, liste 'thematique'): checked against the list on the server.
      .array(referenceCode("Thématiques d'intervention"), {
        error: "« Thématiques d'intervention » est obligatoire.",
      })
      .min(1, { error: "« Thématiques d'intervention » : choisissez au moins une thématique." })
      .max(LIMITS.arrayItems, { error: "« Thématiques d'intervention » contient trop de valeurs." })
      .refine((a) => new Set(a).size === a.length, { error: "« Thématiques d'intervention » contient un doublon." }),
    { type: 'choices', column: 'Thématiques' },
  ),
  statut: enumOf('Statut', STATUTS_PROJET, STATUT_PROJET_LABELS),
  dateDebut: date('Date de début'),
  dateFin: optionalDate('Date de fin'),
  coutTotal: optionalAmount('Coût total'),
  participationCollectivite: optionalAmount('Participation de la collectivité'),
  cofinancements: describeField(
    z
      .array(cofinancementSchema, { error: '« Cofinancements » doit être une liste de financeurs et de montants.' })
      .max(LIMITS.arrayItems, { error: `« Cofinancements » ne peut compter plus de ${LIMITS.arrayItems} lignes.` })
      .default([]),
    { label: 'Cofinancements', type: 'list' },
  ),
  operateurs: optionalText("Maîtrise d'œuvre / opérateurs", { max: 1_000 }),
  beneficiaires: optionalText('Bénéficiaires', { max: 1_000 }),
  odd: describeField(
    z
      .array(int('ODD', 1, 17), { error: '« ODD » doit être une liste de numéros de 1 à 17.' })
      .max(17, { error: '« ODD » contient trop de valeurs.' })
      .refine((a) => new Set(a).size === a.length, { error: '« ODD » contient un doublon.' })
      .default([]),
    { type: 'choices', display: 'Objectifs de développement durable (ODD)', column: 'ODD' },
  ),
  // One name in the label and the messages (before: label « Base du dispositif », messages « Dispositif »).
  dispositifUnPourCent: describeField(
    enumOf('Base du dispositif « 1 % »', DISPOSITIFS_UN_POUR_CENT, DISPOSITIF_LABELS).default('aucun'),
    { column: 'Dispositif 1 %' },
  ),
  referentContactId: uuid('Référent').nullable().default(null),
  siteWeb: optionalUrl('Site web'),
  reprisLe: reprise(),
})
  // Each rule across fields runs as soon as the fields it reads are valid: one submit shows every error.
  .superRefine(
    (f, ctx) => {
      if (f.dateFin && f.dateFin < f.dateDebut) {
        ctx.addIssue({
          code: 'custom',
          path: ['dateFin'],
          message: '« Date de fin » doit être postérieure ou égale à la date de début.',
        });
      }
    },
    whenValid('dateDebut', 'dateFin'),
  )
  .superRefine(
    (f, ctx) => {
      if (f.participationCollectivite !== null && f.coutTotal !== null && f.participationCollectivite > f.coutTotal) {
        ctx.addIssue({
          code: 'custom',
          path: ['participationCollectivite'],
          message: '« Participation de la collectivité » ne peut dépasser le coût total.',
        });
      }
      if (f.participationCollectivite !== null && f.coutTotal === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['coutTotal'],
          message: '« Coût total » est obligatoire quand une participation est indiquée.',
        });
      }
    },
    whenValid('coutTotal', 'participationCollectivite'),
  );
export type FicheProjet = z.infer<typeof ficheProjetSchema>;
export type Cofinancement = z.infer<typeof cofinancementSchema>;
