// The columns of an entity's CSV export, from the field catalogue (src-shared/registry.ts: fieldColumn,
// fieldInfo): one column per schema field, headed as the catalogue says, valued as people read it (choice
// labels, JJ/MM/AAAA dates, French numbers, country names), plus readable columns beside the ids and codes
// a record holds (the collectivité's name and code, the partner and its country, the campaign's year…).
import { nomPays } from '../../../src-shared/reference/pays';
import { regionNom } from '../../../src-shared/reference/regions';
import { entityFields, fieldColumn, fieldInfo, type EntityName } from '../../../src-shared/registry';
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
  return [...new Set(fields.filter((f) => f in REFERENCES).map((f) => REFERENCES[f]!))];
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
  }
}

/** The value of a field as people read it: choice labels, French dates, country names; numbers stay numbers. */
export function displayValue(entity: EntityName, field: string, v: unknown): Cell {
  if (v === null || v === undefined) return null;
  const info = fieldInfo(entity, field);
  const label = (x: unknown) => info?.choices?.find((c) => c.value === x)?.label ?? String(x);
  switch (info?.type) {
    case 'choice':
      return label(v);
    case 'choices':
      return Array.isArray(v) ? v.map(label).join(', ') : label(v);
    case 'date':
      return formatDate(String(v));
    case 'dateTime':
      return formatDateTime(String(v));
    case 'country':
      return nomPays(String(v));
    case 'list':
      // A list of objects (the cofinancements): « Région : 1500,5 € ; État : 2000 € ».
      return Array.isArray(v)
        ? v
            .map((item) =>
              item && typeof item === 'object'
                ? Object.entries(item as Rec)
                    .map(([k, x]) => {
                      const sub = `${field}.0.${k}`;
                      const d = displayValue(entity, sub, x);
                      const s = typeof d === 'number' ? String(d).replace('.', ',') : String(d ?? '');
                      return fieldInfo(entity, sub)?.type === 'amount' ? `${s} €` : s;
                    })
                    .join(' : ')
                : String(item),
            )
            .join(' ; ')
        : String(v);
    default:
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      return JSON.stringify(v);
  }
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
    cols.push({ header: fieldColumn(entity, field), value: (r) => displayValue(entity, field, r[field]) });
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
  }
}
