// The mapping file of an import: which source column holds which field (docs/import-atlas/README.md).
// Column names differ from one published table to the next; the fields are the Atlas's.
import { z } from 'zod';
import { PUBLIC_FIELDS } from '../../src-shared/public/fields';
import { foldHeader } from './read';

/** A fiche-projet's keys: a source gives its own (ficheId, partenariatId), the collectivité is matched. */
type FicheKey = 'id' | 'collectiviteId' | 'partenariatId';
/**
 * The fiche-projet's fields a source may give: those the Atlas publishes of a fiche (a source is a published Atlas
 * or the app's export), from the one rule (src-shared/public/fields.ts), so the two lists cannot drift.
 */
const FICHE_FIELDS = PUBLIC_FIELDS.ficheProjet.filter(
  (f): f is Exclude<(typeof PUBLIC_FIELDS.ficheProjet)[number], FicheKey> =>
    f !== 'id' && f !== 'collectiviteId' && f !== 'partenariatId',
);

/** The fields a source row may give: the collectivité, the partenariat, the fiche-projet. */
export const IMPORT_FIELDS = [
  // collectivité française (matched against the official register, never created from the file)
  'collectiviteCode',
  'collectiviteNom',
  'departement',
  'region',
  // partenariat
  'partenariatId',
  'pays',
  'nomPartenaire',
  'typePartenaire',
  'nature',
  'jumelage',
  'dateConvention',
  'statutPartenariat',
  'latitude',
  'longitude',
  // fiche-projet
  'ficheId',
  ...FICHE_FIELDS,
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const columns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const mappingSchema = z.strictObject({
  /** Free text: which files this mapping reads. */
  description: z.string().optional(),
  /** What a row is: a fiche-projet (with its partenariat) or only a partenariat (the app's partenariats export). */
  entite: z.enum(['ficheProjet', 'partenariat']).default('ficheProjet'),
  /** XLSX: the sheet to read; else the first sheet with the mapped columns. */
  feuille: z.string().optional(),
  /** Field → source column heading (or several headings, the first present wins). */
  colonnes: z.partialRecord(z.enum(IMPORT_FIELDS), columns),
  /**
   * The fields whose values identify a row (its source key): the same values in another import are the same
   * record. Default: the collectivité, the country, the partner and the title.
   */
  identite: z.array(z.enum(IMPORT_FIELDS)).min(1).optional(),
  /** Extra labels of the source for thématiques: « label de la source » → code of the reference list. */
  thematiques: z.record(z.string(), z.string()).default({}),
  /** Extra country names of the source: « nom » → ISO code. */
  pays: z.record(z.string(), z.string()).default({}),
  /** Values used when a row leaves a field empty (e.g. `"description": "À compléter"`). */
  defauts: z.partialRecord(z.enum(IMPORT_FIELDS), z.string()).default({}),
});
export type Mapping = z.infer<typeof mappingSchema>;

export class MappingError extends Error {
  readonly code = 'MAPPING_INVALID';
}

export function parseMapping(json: unknown): Mapping {
  const r = mappingSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || 'racine'} : ${i.message}`)
      .join(' ; ');
    throw new MappingError(`Fichier de correspondance invalide — ${issues}`);
  }
  return r.data;
}

/** The ministry's open-data layout (and docs/import-atlas/modele.csv): the default mapping. */
export const MAPPING_MODELE: Mapping = parseMapping({
  description:
    'Tableau des projets de coopération décentralisée (une ligne par projet), modèle docs/import-atlas/modele.csv',
  colonnes: {
    collectiviteCode: ['Code SIREN', 'SIREN', 'Code INSEE', 'Code collectivité'],
    collectiviteNom: ['Collectivité française', 'Collectivité', 'Nom de la collectivité'],
    departement: ['Département', 'Code département'],
    region: ['Région'],
    pays: ['Pays', 'Pays partenaire'],
    nomPartenaire: ['Collectivité partenaire', 'Partenaire', 'Autorité locale partenaire'],
    typePartenaire: ['Type de partenaire'],
    nature: ['Nature'],
    jumelage: ['Jumelage'],
    dateConvention: ['Date de la convention', 'Date de signature de la convention'],
    intitule: ['Titre du projet', 'Intitulé', 'Intitulé du projet'],
    description: ['Description', 'Description du projet', 'Objectifs'],
    thematiques: ['Thématique', 'Thématiques', 'Secteur'],
    statut: ['Statut', 'État du projet'],
    dateDebut: ['Date de début', 'Début'],
    dateFin: ['Date de fin', 'Fin'],
    coutTotal: ['Montant total', 'Coût total', 'Budget total'],
    participationCollectivite: [
      'Montant de la collectivité',
      'Participation de la collectivité',
      'Apport de la collectivité',
    ],
    operateurs: ['Opérateurs', 'Maîtrise d’œuvre'],
    beneficiaires: ['Bénéficiaires'],
    siteWeb: ['Site web', 'Site internet'],
  },
});

/** The app's own CSV export of fiches-projets (features/exports): the round trip. */
export const MAPPING_EXPORT_FICHES: Mapping = parseMapping({
  description: 'Export CSV « Fiches-projets » de l’Atlas hors ligne (aller-retour)',
  colonnes: {
    ficheId: 'Identifiant',
    collectiviteCode: 'Code de la collectivité',
    collectiviteNom: 'Collectivité',
    partenariatId: 'Partenariat (identifiant)',
    pays: 'Code du pays',
    nomPartenaire: 'Partenaire',
    intitule: 'Intitulé',
    description: 'Description / objectifs',
    thematiques: 'Thématiques',
    statut: 'Statut',
    dateDebut: 'Date de début',
    dateFin: 'Date de fin',
    coutTotal: 'Coût total (€)',
    participationCollectivite: 'Participation de la collectivité (€)',
    cofinancements: 'Cofinancements',
    operateurs: 'Maîtrise d’œuvre / opérateurs',
    beneficiaires: 'Bénéficiaires',
    odd: 'ODD',
    dispositifUnPourCent: 'Dispositif 1 %',
    siteWeb: 'Site web',
  },
  identite: ['ficheId'],
});

/** The app's own CSV export of partenariats. */
export const MAPPING_EXPORT_PARTENARIATS: Mapping = parseMapping({
  description: 'Export CSV « Partenariats » de l’Atlas hors ligne (aller-retour)',
  entite: 'partenariat',
  colonnes: {
    partenariatId: 'Identifiant',
    collectiviteCode: 'Code de la collectivité',
    collectiviteNom: 'Collectivité',
    nature: 'Nature',
    pays: 'Code du pays',
    nomPartenaire: 'Nom du partenaire',
    typePartenaire: 'Type de partenaire',
    jumelage: 'Jumelage',
    dateConvention: 'Date de signature de la convention',
    statutPartenariat: 'Statut',
    latitude: 'Latitude',
    longitude: 'Longitude',
  },
  identite: ['partenariatId'],
});

export const BUILTIN_MAPPINGS = [MAPPING_EXPORT_FICHES, MAPPING_EXPORT_PARTENARIATS, MAPPING_MODELE];

export const DEFAULT_IDENTITE: readonly ImportField[] = [
  'collectiviteCode',
  'collectiviteNom',
  'pays',
  'nomPartenaire',
  'intitule',
];

/** Column indexes of each mapped field in these headers, in the mapping's order (a row reads the first non-empty). */
export function resolveColumns(mapping: Mapping, headers: readonly string[]): Map<ImportField, number[]> {
  const folded = headers.map(foldHeader);
  const out = new Map<ImportField, number[]>();
  for (const [field, cols] of Object.entries(mapping.colonnes) as [ImportField, string | string[]][]) {
    const at = (Array.isArray(cols) ? cols : [cols]).map((c) => folded.indexOf(foldHeader(c))).filter((i) => i >= 0);
    if (at.length) out.set(field, at);
  }
  return out;
}

/** The headings a mapping needs at least (to choose a sheet, and to choose a built-in mapping). */
export function requiredHeadings(mapping: Mapping): string[] {
  const need: ImportField[] =
    mapping.entite === 'partenariat' ? ['pays', 'nomPartenaire'] : ['pays', 'nomPartenaire', 'intitule'];
  return need
    .map((f) => mapping.colonnes[f])
    .filter((c): c is string | string[] => c !== undefined)
    .map((c) => (Array.isArray(c) ? c[0]! : c));
}

/** Without a mapping file: the built-in mapping these headers fit (the app's exports first), or null. */
export function guessMapping(headers: readonly string[]): Mapping | null {
  for (const m of BUILTIN_MAPPINGS) {
    const cols = resolveColumns(m, headers);
    const need: ImportField[] =
      m.entite === 'partenariat' ? ['pays', 'nomPartenaire', 'partenariatId'] : ['pays', 'nomPartenaire', 'intitule'];
    if (m === MAPPING_EXPORT_FICHES) need.push('ficheId', 'partenariatId');
    if (need.every((f) => cols.has(f)) && (cols.has('collectiviteCode') || cols.has('collectiviteNom'))) return m;
  }
  return null;
}
