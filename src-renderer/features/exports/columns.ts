// The columns of an entity's CSV export, from the field catalogue (src-shared/registry.ts: fieldColumn,
// fieldInfo): one column per schema field, headed as the catalogue says, valued as people read it (choice
// labels, JJ/MM/AAAA dates, French numbers, country names), plus readable columns beside the ids and codes
// a record holds (the collectivité's name and code, the partner and its country, the campaign's year…).
import { nomPays } from '../../../src-shared/reference/pays';
import { regionNom } from '../../../src-shared/reference/regions';
import { entityDef, entityFields, fieldColumn, fieldInfo, type EntityName } from '../../../src-shared/registry';
import type { CsvColumn } from '../../ui/csv';
import { formatDate, formatDateTime } from '../../ui/format';

export type Rec = Record<string, unknown>;
type Cell = string | number | boolean | null | undefined;

/** What the readable columns look up, by id: read from the copy before the export's rows. */
export interface Lookups {
  collectivite: ReadonlyMap<string, { nom: string; code: string }>;
  partenariat: ReadonlyMap<string, { nomPartenaire: string; pays: string }>;
  ficheProjet: ReadonlyMap<string, string>;
  declarationApd: ReadonlyMap<string, number>;
  campagne: ReadonlyMap<string, number>;
  /** The reference lists' entries (issue 15: synced records), for thématiques and réseaux by their labels. */
  entreeReference: ReadonlyMap<string, { liste: string; code: string; libelle: string }>;
}
export type LookupName = keyof Lookups;

/** Reference field → the entity whose records its readable columns read. */
const REFERENCES: Record<string, LookupName> = {
  collectiviteId: 'collectivite',
  partenariatId: 'partenariat',
  ficheProjetId: 'ficheProjet',
  declarationApdId: 'declarationApd',
  campagneId: 'campagne',
};

/** The lookups an entity's columns need (none for fields it does not hold). */
export function lookupsFor(entity: EntityName): LookupName[] {
  const fields = entityFields(entity);
  const names = new Set(fields.filter((f) => f in REFERENCES).map((f) => REFERENCES[f]!));
  if (entityDef(entity).lists?.length) names.add('entreeReference');
  return [...names];
}

/** One entry of a lookup, from a record of the entity it is named after. */
export function lookupRow(name: LookupName, r: Rec): [string, unknown] {
  const id = String(r.id);
  switch (name) {
    case 'collectivite':
      return [id, { nom: String(r.nom ?? ''), code: String(r.code ?? '') }];
    case 'partenariat':
      return [id, { nomPartenaire: String(r.nomPartenaire ?? ''), pays: String(r.pays ?? '') }];
    case 'ficheProjet':
      return [id, String(r.intitule ?? '')];
    case 'declarationApd':
    case 'campagne':
      return [id, r.annee];
    case 'entreeReference':
      return [id, { liste: String(r.liste ?? ''), code: String(r.code ?? ''), libelle: String(r.libelle ?? '') }];
  }
}

/**
 * The formatter of a field, as people read its value: choice labels, French dates, country names; numbers
 * stay numbers (the CSV writes them with a decimal comma). The catalogue is read once per column, not per
 * cell (a national export formats some 300,000 cells).
 */
export function formatterOf(entity: EntityName, field: string, lookups: Partial<Lookups> = {}): (v: unknown) => Cell {
  const info = fieldInfo(entity, field);
  const labels = new Map<unknown, string>((info?.choices ?? []).map((c) => [c.value, c.label]));
  // A field naming entries of a reference list: their labels come from the synced list.
  const lf = entityDef(entity).lists?.find((l) => l.field === field);
  if (lf)
    for (const e of lookups.entreeReference?.values() ?? []) if (e.liste === lf.liste) labels.set(e.code, e.libelle);
  const label = (x: unknown) => labels.get(x) ?? String(x);
  const raw = (v: unknown): Cell =>
    typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
  let f: (v: unknown) => Cell;
  switch (info?.type) {
    case 'choice':
      f = label;
      break;
    case 'choices':
      f = (v) => (Array.isArray(v) ? v.map(label).join(', ') : label(v));
      break;
    case 'date':
      f = (v) => formatDate(String(v));
      break;
    case 'dateTime':
      f = (v) => formatDateTime(String(v));
      break;
    case 'country':
      f = (v) => nomPays(String(v));
      break;
    case 'list': {
      // A list of objects (the cofinancements): « Région : 1500,5 € ; État : 2000 € ».
      const subs = new Map<string, { format: (v: unknown) => Cell; amount: boolean }>();
      const sub = (k: string) => {
        let s = subs.get(k);
        if (!s) {
          const path = `${field}.0.${k}`;
          subs.set(k, (s = { format: formatterOf(entity, path), amount: fieldInfo(entity, path)?.type === 'amount' }));
        }
        return s;
      };
      f = (v) =>
        Array.isArray(v)
          ? v
              .map((item) =>
                item && typeof item === 'object'
                  ? Object.entries(item as Rec)
                      .map(([k, x]) => {
                        const { format, amount } = sub(k);
                        const d = format(x);
                        const s = typeof d === 'number' ? String(d).replace('.', ',') : String(d ?? '');
                        return amount ? `${s} €` : s;
                      })
                      .join(' : ')
                  : String(item),
              )
              .join(' ; ')
          : raw(v);
      break;
    }
    default:
      f = raw;
  }
  return (v) => (v === null || v === undefined ? null : f(v));
}

/** The value of a field as people read it (see formatterOf). */
export function displayValue(entity: EntityName, field: string, v: unknown): Cell {
  return formatterOf(entity, field)(v);
}

/** The columns of an entity's CSV export. */
export function exportColumns(entity: EntityName, lookups: Partial<Lookups>): CsvColumn<Rec>[] {
  const cols: CsvColumn<Rec>[] = [];
  for (const field of entityFields(entity)) {
    const info = fieldInfo(entity, field);
    const ref = REFERENCES[field];
    if (field === 'id' || info?.type === 'reference') {
      // Ids stay, for joining files: « Identifiant », « Collectivité (identifiant) »…
      const header = field === 'id' ? fieldColumn(entity, field) : `${fieldColumn(entity, field)} (identifiant)`;
      cols.push({ header, value: (r) => r[field] as Cell });
      if (ref) cols.push(...readable(ref, lookups));
      continue;
    }
    const format = formatterOf(entity, field, lookups);
    cols.push({ header: fieldColumn(entity, field), value: (r) => format(r[field]) });
    if (info?.type === 'country') cols.push({ header: 'Code du pays', value: (r) => r[field] as Cell });
    if (entity === 'collectivite' && field === 'region')
      cols.push({ header: 'Nom de la région', value: (r) => regionNom(r.region as string | null) });
  }
  return cols;
}

/** Readable columns for the record a reference field points to (its name, code, year…). */
function readable(ref: LookupName, l: Partial<Lookups>): CsvColumn<Rec>[] {
  switch (ref) {
    case 'collectivite': {
      const m = l.collectivite;
      return [
        { header: 'Collectivité', value: (r) => m?.get(String(r.collectiviteId))?.nom },
        { header: 'Code de la collectivité', value: (r) => m?.get(String(r.collectiviteId))?.code },
      ];
    }
    case 'partenariat': {
      const m = l.partenariat;
      return [
        { header: 'Partenaire', value: (r) => m?.get(String(r.partenariatId))?.nomPartenaire },
        {
          header: 'Pays',
          value: (r) => {
            const p = m?.get(String(r.partenariatId));
            return p ? nomPays(p.pays) : null;
          },
        },
        { header: 'Code du pays', value: (r) => m?.get(String(r.partenariatId))?.pays },
      ];
    }
    case 'ficheProjet':
      return [{ header: 'Intitulé de la fiche-projet', value: (r) => l.ficheProjet?.get(String(r.ficheProjetId)) }];
    case 'declarationApd':
      return [{ header: 'Année de la déclaration', value: (r) => l.declarationApd?.get(String(r.declarationApdId)) }];
    case 'campagne':
      return [{ header: 'Année de la campagne', value: (r) => l.campagne?.get(String(r.campagneId)) }];
    case 'entreeReference':
      // No reference field: the lists label codes in place (formatterOf).
      return [];
  }
}
