import { z } from 'zod';
import { referenceCode } from './entreeReference';
import { bool, currentYear, entity, optionalText, uuid, whenValid, year } from './fields';

/** Associations et réseaux (part b): a network from the reference list, or a free name. */
export const adhesionSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  // A code of the réseaux list (entreeReference, liste 'reseau'): checked against the list on the server.
  reseauCode: referenceCode('Réseau').nullable().default(null),
  reseauNom: optionalText('Nom du réseau', { max: 200 }),
  adherent: bool('Adhérent', { display: 'La collectivité est adhérente' }),
  utilisePourActions: bool('Utilisé pour les actions extérieures', {
    display: 'Réseau utilisé pour les actions extérieures',
  }),
  depuis: year('Depuis (année)', 1900, 2100).nullable().default(null),
})
  .superRefine(
    (a, ctx) => {
      if (!a.reseauCode && !a.reseauNom) {
        ctx.addIssue({
          code: 'custom',
          path: ['reseauCode'],
          message: '« Réseau » est obligatoire : choisissez un réseau de la liste ou saisissez son nom.',
        });
      }
    },
    whenValid('reseauCode', 'reseauNom'),
  )
  .superRefine((a, ctx) => {
    if (a.depuis !== null && a.depuis > currentYear()) {
      ctx.addIssue({ code: 'custom', path: ['depuis'], message: '« Depuis (année) » ne peut pas être dans le futur.' });
    }
  }, whenValid('depuis'));
export type Adhesion = z.infer<typeof adhesionSchema>;
