// Values as a person reads them on the synchronisation screen: reference codes through their French
// labels, calendar dates JJ/MM/AAAA, amounts in euros, lists as comma lists, whole records field by field.
// Also says which fields can take a third value inline (a choice list, a multi-choice, a date, a text…)
// and which are settled in the record's form (tables such as the cofinancements).
import { AVIS_LABELS, STATUT_INSTRUCTION_LABELS } from '../../../src-shared/domain/avis';
import { PARTIE_LABELS } from '../../../src-shared/domain/campagne';
import { COLLECTIVITE_TYPE_LABELS } from '../../../src-shared/domain/collectivite';
import { CIVILITES, CONTACT_CATEGORIE_LABELS } from '../../../src-shared/domain/contact';
import { DISPOSITIF_LABELS, STATUT_PROJET_LABELS } from '../../../src-shared/domain/ficheProjet';
import {
  NATURE_LABELS,
  STATUT_PARTENARIAT_LABELS,
  TYPE_PARTENAIRE_LABELS,
} from '../../../src-shared/domain/partenariat';
import { fieldLabel, type EntityName } from '../../../src-shared/registry';
import {
  CATEGORIES_APD,
  FINANCEURS,
  MULTI_PAYS,
  nomPays,
  ODD,
  PAYS,
  RESEAUX,
  THEMATIQUES,
} from '../../../src-shared/reference';
import { REGION_NOMS } from '../../../src-shared/reference/regions';
import { formatDate, formatDateTime, formatEuro } from '../../ui/format';

export interface Choice {
  value: string | number;
  label: string;
}

/** How a field's value reads and how a third value is typed. */
export type FieldKind =
  | { kind: 'text' }
  | { kind: 'longText' }
  | { kind: 'integer' }
  | { kind: 'decimal' }
  | { kind: 'amount' }
  | { kind: 'bool' }
  | { kind: 'date' }
  | { kind: 'dateTime' }
  | { kind: 'choice'; choices: Choice[] }
  | { kind: 'choices'; choices: Choice[] }
  | { kind: 'contact' }
  | { kind: 'cofinancements' }
  | { kind: 'id' };

const fromLabels = (labels: Record<string, string>): Choice[] =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));
const fromRef = (rows: readonly { code: string; label: string }[]): Choice[] =>
  rows.map((r) => ({ value: r.code, label: r.label }));

const PAYS_CHOICES: Choice[] = PAYS.map((p) => ({ value: p.code, label: p.nom }));
const ODD_CHOICES: Choice[] = ODD.map((o) => ({ value: o.numero, label: `ODD ${o.numero} — ${o.label}` }));

const BY_FIELD: Record<string, FieldKind> = {
  id: { kind: 'id' },
  collectiviteId: { kind: 'id' },
  partenariatId: { kind: 'id' },
  declarationApdId: { kind: 'id' },
  ficheProjetId: { kind: 'id' },
  campagneId: { kind: 'id' },
  categorie: { kind: 'choice', choices: fromLabels(CONTACT_CATEGORIE_LABELS) },
  civilite: { kind: 'choice', choices: CIVILITES.map((c) => ({ value: c, label: c })) },
  reseauCode: { kind: 'choice', choices: fromRef(RESEAUX) },
  adherent: { kind: 'bool' },
  utilisePourActions: { kind: 'bool' },
  jumelage: { kind: 'bool' },
  depuis: { kind: 'integer' },
  annee: { kind: 'integer' },
  nature: { kind: 'choice', choices: fromLabels(NATURE_LABELS) },
  pays: { kind: 'choice', choices: PAYS_CHOICES },
  typePartenaire: { kind: 'choice', choices: fromLabels(TYPE_PARTENAIRE_LABELS) },
  dateConvention: { kind: 'date' },
  dateDebut: { kind: 'date' },
  dateFin: { kind: 'date' },
  dateOuverture: { kind: 'date' },
  dateCloture: { kind: 'date' },
  date: { kind: 'date' },
  latitude: { kind: 'decimal' },
  longitude: { kind: 'decimal' },
  description: { kind: 'longText' },
  commentaire: { kind: 'longText' },
  thematiques: { kind: 'choices', choices: fromRef(THEMATIQUES) },
  coutTotal: { kind: 'amount' },
  participationCollectivite: { kind: 'amount' },
  montant: { kind: 'amount' },
  cofinancements: { kind: 'cofinancements' },
  odd: { kind: 'choices', choices: ODD_CHOICES },
  dispositifUnPourCent: { kind: 'choice', choices: fromLabels(DISPOSITIF_LABELS) },
  referentContactId: { kind: 'contact' },
  type: { kind: 'choice', choices: fromLabels(COLLECTIVITE_TYPE_LABELS) },
  avis: { kind: 'choice', choices: fromLabels(AVIS_LABELS) },
  statutInstruction: { kind: 'choice', choices: fromLabels(STATUT_INSTRUCTION_LABELS) },
  partie: { kind: 'choice', choices: fromLabels(PARTIE_LABELS) },
  verifieeLe: { kind: 'dateTime' },
};

/** Same field name, other meaning: `statut` of a partnership or of a project, `categorie` of an APD line… */
const BY_ENTITY: Partial<Record<EntityName, Record<string, FieldKind>>> = {
  collectivite: { region: { kind: 'choice', choices: fromLabels(REGION_NOMS) } },
  partenariat: { statut: { kind: 'choice', choices: fromLabels(STATUT_PARTENARIAT_LABELS) } },
  ficheProjet: { statut: { kind: 'choice', choices: fromLabels(STATUT_PROJET_LABELS) } },
  ligneApd: {
    categorie: { kind: 'choice', choices: fromRef(CATEGORIES_APD) },
    pays: { kind: 'choice', choices: [{ value: MULTI_PAYS, label: nomPays(MULTI_PAYS) }, ...PAYS_CHOICES] },
  },
};

export function fieldKind(entity: EntityName, field: string): FieldKind {
  return BY_ENTITY[entity]?.[field] ?? BY_FIELD[field] ?? { kind: 'text' };
}

/** Looks up what a reference field points to (the référent's name); undefined when unknown here. */
export interface ValueContext {
  contactName?: (id: string) => string | undefined;
}

const EMPTY = '(vide)';
const NONE = '(aucun)';
const financeurs = new Map<string, string>(FINANCEURS.map((f) => [f.code, f.label]));

function choiceLabel(choices: Choice[], v: unknown): string {
  return choices.find((c) => c.value === v)?.label ?? String(v);
}

/** One field's value in French. */
export function formatFieldValue(entity: EntityName, field: string, v: unknown, ctx: ValueContext = {}): string {
  if (v === null || v === undefined || v === '') return EMPTY;
  const k = fieldKind(entity, field);
  switch (k.kind) {
    case 'bool':
      return v === true ? 'Oui' : v === false ? 'Non' : String(v);
    case 'date':
      return typeof v === 'string' ? formatDate(v) : String(v);
    case 'dateTime':
      return typeof v === 'string' ? formatDateTime(v) : String(v);
    case 'amount':
      return typeof v === 'number' ? formatEuro(v) : String(v);
    case 'decimal':
      return typeof v === 'number' ? v.toLocaleString('fr-FR', { maximumFractionDigits: 6 }) : String(v);
    case 'choice':
      return choiceLabel(k.choices, v);
    case 'choices':
      if (!Array.isArray(v)) return String(v);
      return v.length ? v.map((x) => choiceLabel(k.choices, x)).join(', ') : NONE;
    case 'contact':
      return typeof v === 'string' ? (ctx.contactName?.(v) ?? 'un élu ou cadre supprimé ou inconnu') : String(v);
    case 'cofinancements':
      if (!Array.isArray(v)) return String(v);
      return v.length
        ? v
            .map((c) => {
              const row = (c ?? {}) as { financeur?: unknown; montant?: unknown };
              const who = typeof row.financeur === 'string' ? (financeurs.get(row.financeur) ?? row.financeur) : '?';
              return `${who} : ${typeof row.montant === 'number' ? formatEuro(row.montant) : EMPTY}`;
            })
            .join(', ')
        : NONE;
    default:
      return formatLoose(entity, v);
  }
}

/** A value whose field is unknown: still no JSON for people. */
function formatLoose(entity: EntityName, v: unknown): string {
  if (typeof v === 'boolean') return v ? 'Oui' : 'Non';
  if (Array.isArray(v)) return v.length ? v.map((x) => formatLoose(entity, x)).join(', ') : NONE;
  if (v !== null && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${fieldLabel(entity, k)} : ${formatLoose(entity, x)}`)
      .join(', ');
  }
  return String(v);
}

/** A whole record (edit/delete conflicts): one "Label : valeur" line per field, identifiers left out. */
export function formatRecordLines(entity: EntityName, rec: Record<string, unknown>, ctx: ValueContext = {}): string[] {
  return Object.entries(rec)
    .filter(([f]) => fieldKind(entity, f).kind !== 'id')
    .map(([f, v]) => `${fieldLabel(entity, f)} : ${formatFieldValue(entity, f, v, ctx)}`);
}

/** Fields whose third value is typed here; the others (tables) are settled in the record's form. */
export function editableInline(entity: EntityName, field: string): boolean {
  const k = fieldKind(entity, field).kind;
  return k !== 'cofinancements' && k !== 'id' && k !== 'bool';
}

const relative = new Intl.RelativeTimeFormat('fr', { numeric: 'auto' });

/** Age of a pending change in words: "il y a 5 minutes", "il y a 3 heures", "hier". */
export function formatAge(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const minutes = Math.floor((now - t) / 60_000);
  if (minutes < 1) return 'à l’instant';
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  return relative.format(-Math.floor(hours / 24), 'day');
}
