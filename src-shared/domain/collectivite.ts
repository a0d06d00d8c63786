import { z } from 'zod';
import {
  describeField,
  entity,
  enumOf,
  optionalEmail,
  optionalPhone,
  optionalText,
  optionalUrl,
  text,
  uuid,
} from './fields';

export const COLLECTIVITE_TYPES = [
  'commune',
  'epci_cc',
  'epci_ca',
  'epci_cu',
  'metropole',
  'met69',
  'ept',
  'departement',
  'region',
  'statut_particulier',
  'com',
] as const;
export type CollectiviteType = (typeof COLLECTIVITE_TYPES)[number];

export const COLLECTIVITE_TYPE_LABELS: Record<CollectiviteType, string> = {
  commune: 'Commune',
  epci_cc: 'Communauté de communes',
  epci_ca: "Communauté d'agglomération",
  epci_cu: 'Communauté urbaine',
  metropole: 'Métropole',
  met69: 'Métropole de Lyon',
  ept: 'Établissement public territorial',
  departement: 'Département',
  region: 'Région',
  statut_particulier: 'Collectivité à statut particulier',
  com: "Collectivité d'outre-mer",
};

/** Identity fields come from the official register: only the DAECT may change them. */
export const COLLECTIVITE_IDENTITY_FIELDS = ['code', 'nom', 'type', 'departement', 'region'] as const;

export const collectiviteSchema = entity({
  id: uuid('Identifiant'),
  /** Official code: `commune:<INSEE>`, `epci:<SIREN>`, `dep:<code>`, `reg:<code>`, … */
  code: text('Code officiel', { max: 40 }),
  nom: text('Nom', { max: 200 }),
  type: enumOf('Type de collectivité', COLLECTIVITE_TYPES, COLLECTIVITE_TYPE_LABELS),
  departement: optionalText('Département', { max: 3 }),
  region: optionalText('Région', { max: 3 }),
  adresse: optionalText('Adresse', { max: 300 }),
  codePostal: describeField(
    z
      .preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v),
        z
          .string({ error: '« Code postal » doit comporter 5 chiffres.' })
          .regex(/^\d{5}$/, { error: '« Code postal » doit comporter 5 chiffres.' })
          .nullable(),
      )
      .default(null),
    { label: 'Code postal', type: 'postalCode' },
  ),
  commune: optionalText('Commune', { max: 200 }),
  telephone: optionalPhone('Téléphone'),
  courriel: optionalEmail('Courriel'),
  siteWeb: optionalUrl('Site web'),
});
export type Collectivite = z.infer<typeof collectiviteSchema>;
