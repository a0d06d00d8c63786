import { z } from 'zod';
import { PAYS_CODES, TERRITOIRES_FRANCAIS } from '../reference/pays';
import { bool, describeField, entity, enumOf, optionalDate, reprise, text, uuid, whenValid } from './fields';

export const NATURES = ['cooperation_decentralisee', 'action_exterieure'] as const;
export const NATURE_LABELS = {
  cooperation_decentralisee: 'Coopération décentralisée',
  action_exterieure: 'Action extérieure',
} as const;
export const TYPES_PARTENAIRE = ['municipalite', 'province', 'region', 'etat_federe', 'autre'] as const;
export const TYPE_PARTENAIRE_LABELS = {
  municipalite: 'Municipalité',
  province: 'Province',
  region: 'Région',
  etat_federe: 'État fédéré',
  autre: 'Autre',
} as const;
export const STATUTS_PARTENARIAT = ['active', 'en_sommeil', 'terminee'] as const;
export const STATUT_PARTENARIAT_LABELS = { active: 'Active', en_sommeil: 'En sommeil', terminee: 'Terminée' } as const;

const coordinate = (label: string, limit: number) =>
  describeField(
    z
      .number({ error: `« ${label} » doit être un nombre.` })
      .min(-limit, { error: `« ${label} » doit être comprise entre -${limit} et ${limit}.` })
      .max(limit, { error: `« ${label} » doit être comprise entre -${limit} et ${limit}.` })
      .nullable()
      .default(null),
    { label, type: 'coordinate' },
  );

/** Parts c and d: coopérations décentralisées (conventionnées) and other external actions. */
export const partenariatSchema = entity({
  id: uuid('Identifiant'),
  collectiviteId: uuid('Collectivité'),
  nature: enumOf('Nature', NATURES, NATURE_LABELS),
  pays: describeField(
    z
      .string({ error: '« Pays » est obligatoire.' })
      .refine((c) => PAYS_CODES.has(c), { error: '« Pays » : choisissez un pays de la liste.' })
      // France and its overseas territories are not partner countries: refused here, so on the server too. A record
      // stored before this rule with such a code still reads (nomPays knows every code) but is flagged as refused
      // by the schema until someone picks the partner's real country (docs/domain.md).
      .refine((c) => !TERRITOIRES_FRANCAIS.has(c), {
        error:
          '« Pays » : la France et ses territoires d’outre-mer ne sont pas des pays partenaires ; choisissez un pays étranger.',
      }),
    { label: 'Pays', type: 'country' },
  ),
  nomPartenaire: text('Nom du partenaire', { max: 200 }),
  typePartenaire: enumOf('Type de partenaire', TYPES_PARTENAIRE, TYPE_PARTENAIRE_LABELS).nullable().default(null),
  jumelage: bool('Jumelage'),
  dateConvention: optionalDate('Date de signature de la convention'),
  // A new partnership is active unless said otherwise: the list opens on « Active », with no empty entry
  // and no asterisk (before, « Statut * » was marked required and silently filled).
  statut: enumOf('Statut', STATUTS_PARTENARIAT, STATUT_PARTENARIAT_LABELS).default('active'),
  latitude: coordinate('Latitude', 90),
  longitude: coordinate('Longitude', 180),
  reprisLe: reprise(),
})
  // Each rule across fields runs as soon as the fields it reads are valid: one submit shows every error.
  .superRefine(
    (p, ctx) => {
      if (p.nature === 'cooperation_decentralisee' && !p.dateConvention) {
        ctx.addIssue({
          code: 'custom',
          path: ['dateConvention'],
          message: '« Date de signature de la convention » est obligatoire pour une coopération décentralisée.',
        });
      }
    },
    whenValid('nature', 'dateConvention'),
  )
  .superRefine(
    (p, ctx) => {
      if ((p.latitude === null) !== (p.longitude === null)) {
        ctx.addIssue({
          code: 'custom',
          path: ['latitude'],
          message: 'La localisation demande une latitude et une longitude.',
        });
      }
    },
    whenValid('latitude', 'longitude'),
  );
export type Partenariat = z.infer<typeof partenariatSchema>;
