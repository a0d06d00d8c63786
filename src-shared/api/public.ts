// The read-only JSON API of the public Atlas for re-users (issue 17): no session, open to any origin for
// GET, a generous per-address rate limit, pages of at most 1,000 records in a stable order (by identifier)
// with an opaque cursor. It publishes exactly what the rule of ../public/fields.ts says is public.
import { z } from 'zod';
import type { FieldType } from '../domain/fields';
import { fieldInfo } from '../registry';
import { PUBLIC_FIELDS, type PublicEntity } from '../public/fields';
import { LICENCE } from '../public/openData';
import { endpoint } from './endpoint';

/** The largest page a re-user may ask for. */
export const PUBLIC_PAGE_MAX = 1_000;

function valueSchema(type: FieldType | undefined): z.ZodType {
  switch (type) {
    case 'amount':
    case 'coordinate':
    case 'integer':
    case 'year':
      return z.number().nullable();
    case 'boolean':
      return z.boolean().nullable();
    case 'choices':
      return z.array(z.union([z.string(), z.number()]));
    case 'list':
      return z.array(z.object({ financeur: z.string(), montant: z.number() }));
    default:
      return z.string().nullable();
  }
}

/** The JSON shape of an entity's public record, field by field, described with the catalogue's labels. */
function publicRecordSchema<E extends PublicEntity>(entity: E) {
  return z.object(
    Object.fromEntries(
      PUBLIC_FIELDS[entity].map((f) => {
        const info = fieldInfo(entity, f);
        return [f, valueSchema(info?.type).describe(info?.label ?? f)];
      }),
    ) as Record<(typeof PUBLIC_FIELDS)[E][number], z.ZodType>,
  );
}

export const publicCollectivite = publicRecordSchema('collectivite');
export const publicAdhesion = publicRecordSchema('adhesion');
export const publicPartenariat = publicRecordSchema('partenariat');
export const publicFicheProjet = publicRecordSchema('ficheProjet');
export const publicApd = z.object({
  id: z.string(),
  collectiviteId: z.string(),
  annee: z.number().int(),
  montantTotal: z.number().describe('Montant total déclaré (euros)'),
});

const licence = z.object({ nom: z.string(), url: z.string() }).describe(`${LICENCE.nom} (${LICENCE.url})`);

/** An opaque cursor: where the next page starts (the answer's `suivant`). */
const curseur = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'Curseur invalide : reprenez la valeur « suivant » d’une réponse.' })
  .optional();
const limite = z.coerce
  .number({ error: '« limite » doit être un nombre.' })
  .int({ error: '« limite » doit être un entier.' })
  .min(1, { error: '« limite » doit être au moins 1.' })
  .max(PUBLIC_PAGE_MAX, { error: `« limite » ne peut dépasser ${PUBLIC_PAGE_MAX}.` })
  .default(100);
const code = (label: string, re: RegExp) =>
  z
    .string()
    .regex(re, { error: `« ${label} » : valeur invalide.` })
    .optional();
const region = code('region', /^[0-9]{2}$/);
const departement = code('departement', /^[0-9][0-9AB][0-9]?$/);
const type = code('type', /^[a-z_]{2,40}$/);
const pays = code('pays', /^[A-Z]{2}$/);
const collectivite = z.uuid({ error: '« collectivite » : identifiant (UUID) de la collectivité attendu.' }).optional();

/** Filters by the collectivité that carries the records (its région, département, type). */
const byCollectivite = { region, departement, type, collectivite, limite, curseur };

function page<T extends z.ZodType>(item: T) {
  return z.object({
    licence,
    /** Records matching the filters, all pages together. */
    total: z.number().int(),
    enregistrements: z.array(item),
    /** The cursor of the next page; null on the last one. */
    suivant: z.string().nullable(),
  });
}

export const publicCollectiviteDetail = z.object({
  licence,
  collectivite: publicCollectivite,
  adhesions: z.array(publicAdhesion),
  partenariats: z.array(publicPartenariat),
  projets: z.array(publicFicheProjet),
  apd: z.array(publicApd),
});

export const publicPays = z.object({
  licence,
  code: z.string(),
  nom: z.string(),
  partenariats: z.number().int(),
  projets: z.number().int(),
  collectivites: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      nom: z.string(),
      type: z.string(),
      departement: z.string().nullable(),
      region: z.string().nullable(),
      partenariats: z.number().int(),
    }),
  ),
  thematiques: z.array(z.object({ code: z.string(), libelle: z.string(), projets: z.number().int() })),
});

const common = { tag: 'données ouvertes', auth: false, rateLimited: 'public' } as const;
const codeCollectivite = z.object({
  code: z.string().regex(/^[a-z]+:[0-9A-Za-z]{1,15}$/, {
    error: '« code » : code officiel de la collectivité attendu (exemple : commune:35238).',
  }),
});

export const publicEndpoints = {
  publicCollectivites: endpoint({
    ...common,
    method: 'GET',
    path: '/api/public/v1/collectivites',
    summary: 'Collectivités engagées (données ouvertes, Licence Ouverte 2.0), par pages',
    query: z.object({ region, departement, type, limite, curseur }),
    response: page(publicCollectivite),
    errors: {},
  }),
  publicCollectivite: endpoint({
    ...common,
    method: 'GET',
    path: '/api/public/v1/collectivites/:code',
    summary: 'Une collectivité par son code officiel : réseaux, partenariats, projets et totaux d’APD',
    params: codeCollectivite,
    response: publicCollectiviteDetail,
    errors: { 404: ['NOT_FOUND'] },
  }),
  publicPartenariats: endpoint({
    ...common,
    method: 'GET',
    path: '/api/public/v1/partenariats',
    summary: 'Partenariats (coopérations et autres actions extérieures), par pages',
    query: z.object({
      ...byCollectivite,
      pays,
      jumelage: z.enum(['oui', 'non'], { error: '« jumelage » : « oui » ou « non ».' }).optional(),
    }),
    response: page(publicPartenariat),
    errors: {},
  }),
  publicProjets: endpoint({
    ...common,
    method: 'GET',
    path: '/api/public/v1/projets',
    summary: 'Fiches-projets, par pages (filtres : territoire, pays, thématique, statut)',
    query: z.object({
      ...byCollectivite,
      pays,
      thematique: code('thematique', /^[a-z0-9][a-z0-9_]{0,39}$/),
      statut: code('statut', /^[a-z_]{2,40}$/),
    }),
    response: page(publicFicheProjet),
    errors: {},
  }),
  publicApd: endpoint({
    ...common,
    method: 'GET',
    path: '/api/public/v1/apd',
    summary: 'Totaux annuels de l’aide publique au développement déclarée par collectivité, par pages',
    query: z.object({
      ...byCollectivite,
      annee: z.coerce.number({ error: '« annee » doit être une année.' }).int().min(2000).max(2100).optional(),
    }),
    response: page(publicApd),
    errors: {},
  }),
  publicPays: endpoint({
    ...common,
    method: 'GET',
    path: '/api/public/v1/pays/:code',
    summary: 'Un pays partenaire : les collectivités françaises qui y coopèrent et les thématiques de leurs projets',
    params: z.object({
      code: z.string().regex(/^[A-Z]{2}$/, { error: '« code » : code ISO du pays attendu (exemple : SN).' }),
    }),
    response: publicPays,
    errors: { 404: ['NOT_FOUND'] },
  }),
};
