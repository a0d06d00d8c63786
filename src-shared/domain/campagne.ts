import { z } from 'zod';
import { date, dateTime, entity, enumOf, text, uuid, whenValid, year } from './fields';

export const campagneSchema = entity({
  id: uuid('Identifiant'),
  annee: year('Année', 2000, 2100),
  dateOuverture: date("Date d'ouverture"),
  dateCloture: date('Date de clôture'),
}).superRefine(
  (c, ctx) => {
    if (c.dateCloture < c.dateOuverture) {
      ctx.addIssue({
        code: 'custom',
        path: ['dateCloture'],
        message: "« Date de clôture » doit être postérieure à la date d'ouverture.",
      });
    }
  },
  whenValid('dateOuverture', 'dateCloture'),
);
export type Campagne = z.infer<typeof campagneSchema>;

export const PARTIES = ['contacts', 'reseaux', 'cooperations', 'actions_exterieures', 'apd'] as const;
export type Partie = (typeof PARTIES)[number];
export const PARTIE_LABELS: Record<Partie, string> = {
  contacts: 'a. Élus et cadres territoriaux',
  reseaux: 'b. Associations et réseaux',
  cooperations: 'c. Coopérations décentralisées',
  actions_exterieures: 'd. Autres actions extérieures',
  apd: 'e. Aide publique au développement',
};

/** One per collectivité, campaign and part (natural key): "this part was verified on … by …". */
export const attestationCampagneSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  campagneId: uuid('Campagne'),
  partie: enumOf('Partie', PARTIES, PARTIE_LABELS),
  verifieeLe: dateTime('Vérifiée le'),
  par: text('Par', { max: 200 }),
});
export type AttestationCampagne = z.infer<typeof attestationCampagneSchema>;
