// The open-data files of the public Atlas (issue 17): which files exist, what each holds, and their data
// dictionary — written from the one rule of what is public (./fields.ts: PUBLIC_FIELDS) and the zod schemas'
// field catalogue (domain/fields.ts: fieldInfoOf), so the dictionary can never say other than what the files hold.
import type { FieldType } from '../domain/fields';
import { entityDef, fieldInfo } from '../registry';
import { PUBLIC_FIELDS, type PublicEntity } from './fields';

/** Licence of every file, page and API answer of the open data (Etalab). */
export const LICENCE = {
  nom: 'Licence Ouverte / Open Licence version 2.0',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  producteur:
    'Ministère de l’Europe et des affaires étrangères — Délégation pour l’action extérieure des collectivités territoriales (DAECT)',
} as const;

/** A computed column of a file: not a stored field, but derived from public ones (the APD total). */
export interface ComputedField {
  name: string;
  label: string;
  type: FieldType;
  unit?: string;
  description: string;
}

export interface OpenDataset {
  /** File name without extension: /atlas/donnees/<fichier>.csv|.json. */
  fichier: string;
  entity: PublicEntity;
  titre: string;
  description: string;
  computed?: readonly ComputedField[];
}

export const OPEN_DATASETS: readonly OpenDataset[] = [
  {
    fichier: 'collectivites',
    entity: 'collectivite',
    titre: 'Collectivités engagées',
    description: 'L’identité des collectivités territoriales engagées dans l’action extérieure.',
  },
  {
    fichier: 'adhesions',
    entity: 'adhesion',
    titre: 'Adhésions aux associations et réseaux',
    description: 'Les réseaux de coopération auxquels chaque collectivité adhère ou recourt pour ses actions.',
  },
  {
    fichier: 'partenariats',
    entity: 'partenariat',
    titre: 'Partenariats',
    description: 'Coopérations décentralisées et autres actions extérieures : pays, partenaire, jumelage, statut.',
  },
  {
    fichier: 'fiches-projets',
    entity: 'ficheProjet',
    titre: 'Fiches-projets',
    description: 'Les projets menés dans chaque partenariat : thématiques, dates, coûts et cofinancements.',
  },
  {
    fichier: 'apd',
    entity: 'declarationApd',
    titre: 'Aide publique au développement (totaux annuels)',
    description: 'Le total de l’aide publique au développement déclarée par chaque collectivité, par année.',
    computed: [
      {
        name: 'montantTotal',
        label: 'Montant total déclaré',
        type: 'amount',
        unit: 'euro',
        description: 'Somme des lignes de la déclaration de l’année (le détail des lignes n’est pas publié).',
      },
    ],
  },
  {
    fichier: 'listes-reference',
    entity: 'entreeReference',
    titre: 'Listes de référence',
    description: 'Les thématiques d’intervention et les associations et réseaux, avec leurs codes et libellés.',
  },
];

/** The « everything » file: every dataset in one JSON document. */
export const ALL_FILE = 'atlas-complet';
export const DICTIONARY_FILE = 'dictionnaire';

/** The public columns of a dataset, in order: its PUBLIC_FIELDS then its computed columns. */
export function datasetColumns(d: OpenDataset): string[] {
  return [...PUBLIC_FIELDS[d.entity], ...(d.computed ?? []).map((c) => c.name)];
}

const TYPE_LABELS: Record<FieldType, string> = {
  text: 'texte',
  longText: 'texte long',
  email: 'adresse électronique',
  phone: 'téléphone',
  url: 'adresse web (URL)',
  postalCode: 'code postal',
  reference: 'identifiant (UUID)',
  choice: 'code (liste de valeurs)',
  choices: 'liste de codes',
  boolean: 'booléen',
  date: 'date',
  dateTime: 'date et heure',
  amount: 'nombre décimal',
  integer: 'entier',
  year: 'année',
  coordinate: 'nombre décimal',
  country: 'code pays',
  list: 'liste d’objets',
};

export interface DictionaryEntry {
  fichier: string;
  entite: PublicEntity;
  champ: string;
  libelle: string;
  type: string;
  obligatoire: boolean;
  /** Allowed values (`code : libellé`), or the reference list that gives them. */
  valeurs: string | null;
  unite: string | null;
  /** How the value is written in the CSV (the JSON holds it as its JSON type). */
  formatCsv: string;
  calcule: boolean;
}

function csvFormatOf(type: FieldType): string {
  switch (type) {
    case 'boolean':
      return '« oui » ou « non »';
    case 'date':
      return 'AAAA-MM-JJ (ISO 8601)';
    case 'dateTime':
      return 'AAAA-MM-JJTHH:MM:SSZ (ISO 8601)';
    case 'amount':
    case 'coordinate':
      return 'nombre, virgule décimale';
    case 'choices':
      return 'codes séparés par « | »';
    case 'list':
      return 'JSON';
    default:
      return 'texte';
  }
}

function unitOf(type: FieldType): string | null {
  if (type === 'amount') return 'euro';
  if (type === 'coordinate') return 'degré décimal (WGS 84)';
  return null;
}

/** Where a field's allowed values come from: its choices, a reference list or the country codes. */
function valuesOf(
  entity: PublicEntity,
  field: string,
  type: FieldType,
  choices?: readonly { value: string; label: string }[],
) {
  const list = entityDef(entity).lists?.find((l) => l.field === field);
  if (list) return `liste de référence « ${list.liste} » (fichier listes-reference)`;
  if (type === 'country') return 'code ISO 3166-1 alpha-2 du pays';
  if (field === 'odd') return 'numéros des objectifs de développement durable, de 1 à 17';
  if (field === 'cofinancements') {
    const fin = fieldInfo(entity, 'cofinancements.0.financeur')?.choices ?? [];
    return `objets { financeur, montant (euro) } ; financeur : ${fin.map((c) => (c.label === c.value ? c.value : `${c.value} : ${c.label}`)).join(', ')}`;
  }
  if (choices?.length)
    return choices.map((c) => (c.label === c.value ? c.value : `${c.value} : ${c.label}`)).join(' ; ');
  return null;
}

/** The data dictionary: one entry per public column of every file, from PUBLIC_FIELDS and the catalogue. */
export function dataDictionary(): DictionaryEntry[] {
  const out: DictionaryEntry[] = [];
  for (const d of OPEN_DATASETS) {
    for (const champ of PUBLIC_FIELDS[d.entity]) {
      const info = fieldInfo(d.entity, champ);
      const type: FieldType = info?.type ?? 'text';
      out.push({
        fichier: d.fichier,
        entite: d.entity,
        champ,
        libelle: info?.label ?? champ,
        type: TYPE_LABELS[type],
        obligatoire: info?.required ?? false,
        valeurs: valuesOf(d.entity, champ, type, info?.choices),
        unite: unitOf(type),
        formatCsv: csvFormatOf(type),
        calcule: false,
      });
    }
    for (const c of d.computed ?? [])
      out.push({
        fichier: d.fichier,
        entite: d.entity,
        champ: c.name,
        libelle: c.label,
        type: TYPE_LABELS[c.type],
        obligatoire: true,
        valeurs: c.description,
        unite: c.unit ?? null,
        formatCsv: csvFormatOf(c.type),
        calcule: true,
      });
  }
  return out;
}

/** The CSV columns of the dictionary file. */
export const DICTIONARY_COLUMNS: readonly { key: keyof DictionaryEntry; header: string }[] = [
  { key: 'fichier', header: 'fichier' },
  { key: 'champ', header: 'champ' },
  { key: 'libelle', header: 'libellé' },
  { key: 'type', header: 'type' },
  { key: 'obligatoire', header: 'obligatoire' },
  { key: 'valeurs', header: 'valeurs autorisées' },
  { key: 'unite', header: 'unité' },
  { key: 'formatCsv', header: 'format CSV' },
  { key: 'calcule', header: 'calculé' },
];

/**
 * A public value as a CSV cell (the header line holds the field names, as in the JSON): dates stay ISO,
 * lists of codes are joined with « | », lists of objects are JSON; numbers and booleans are written by the
 * CSV rule (src-shared/csv.ts: decimal comma, oui/non).
 */
export function openDataCell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.some((x) => x !== null && typeof x === 'object') ? JSON.stringify(v) : v.join('|');
  if (typeof v === 'object') return JSON.stringify(v);
  return v as string | number | boolean;
}
