// From source rows to what the import would write, against the database as it is: the dry run's report and
// the real run's changes are this one plan. Each row gets a source key (a hash of its identity columns), so the
// same row in another import is the same record: a deterministic id, and `import_atlas_records` (migration
// 0008) remembers what the import wrote in each field and at which revision. A field changed since by someone
// else is never overwritten; a record deleted since is not recreated.
import { createHash } from 'node:crypto';
import { summarize } from '../../src-shared/domain/messages';
import {
  NATURES,
  NATURE_LABELS,
  STATUTS_PARTENARIAT,
  STATUT_PARTENARIAT_LABELS,
  TYPES_PARTENAIRE,
  TYPE_PARTENAIRE_LABELS,
} from '../../src-shared/domain/partenariat';
import {
  DISPOSITIFS_UN_POUR_CENT,
  DISPOSITIF_LABELS,
  STATUTS_PROJET,
  STATUT_PROJET_LABELS,
} from '../../src-shared/domain/ficheProjet';
import { todayParis } from '../../src-shared/domain/fields';
import { REPRISE_FIELD } from '../../src-shared/domain/reprise';
import type { OfficialCollectivite } from '../../src-shared/reference/collectivites/types';
import { foldText } from '../../src-shared/reference/collectivites/normalize';
import { nomPays } from '../../src-shared/reference/pays';
import { entityDef, writeRuleErrors } from '../../src-shared/registry';
import { collectiviteId as collectiviteIdOf, naturalId } from '../../src-shared/sync/ids';
import { sameValue } from '../../src-shared/sync/merge';
import type { Change } from '../../src-shared/sync/protocol';
import type { Queryable, Row } from '../db/driver';
import { TABLE_DEFS } from '../sync/tables';
import { DEFAULT_IDENTITE, resolveColumns, type ImportField, type Mapping } from './mapping';
import type { CollectiviteMatcher, MatchResult } from './match';
import type { SourceTable } from './read';
import {
  parseAmount,
  parseBool,
  parseChoice,
  parseCofinancements,
  parseDate,
  parseLabels,
  parseNumber,
  parseOdd,
  parsePays,
  type Parsed,
} from './values';

export type ImportEntity = 'collectivite' | 'partenariat' | 'ficheProjet';

/** One record the import writes: created whole, or updated in the fields it owns and nobody changed since. */
export interface Action {
  op: 'create' | 'update';
  entity: ImportEntity;
  id: string;
  sourceKey: string;
  /** First line of the file that gives it. */
  line: number;
  /** Create: every field. Update: the fields written, with the revision each is based on. */
  fields: Record<string, unknown>;
  bases?: Record<string, number>;
  /** What the import remembers having written for this record after this action (import_atlas_records.values). */
  remember: Record<string, unknown>;
  /**
   * Update of a record still marked « repris de l'Atlas » (nobody else wrote it since, docs/domain.md): the
   * base revision of its `reprisLe`, which the run renews. A record someone edited stays unmarked.
   */
  reprise?: number;
}

export interface Report {
  fichier: {
    nom: string;
    format: 'csv' | 'xlsx';
    encodage?: string;
    separateur?: string;
    feuille?: string;
    feuilles?: string[];
    correspondance: string;
    colonnesIgnorees: string[];
  };
  lignesLues: number;
  collectivites: {
    reconnues: number;
    parCode: number;
    parNom: number;
    aCreerDansLaBase: number;
    ambigues: { valeur: string; lignes: number[]; candidats: string[] }[];
    inconnues: { valeur: string; lignes: number[]; raison: string }[];
  };
  partenariats: Counts;
  fiches: Counts;
  doublons: { ligne: number; premiereLigne: number }[];
  refusees: { ligne: number; raison: string }[];
  paysInconnus: { valeur: string; lignes: number[] }[];
  thematiquesInconnues: { valeur: string; lignes: number[] }[];
  /** Fields the file changed but someone edited since the last import: kept as they are. */
  conserves: { ligne: number; entite: string; champ: string; raison: string }[];
}
export interface Counts {
  aCreer: number;
  aMettreAJour: number;
  inchanges: number;
}

export interface Plan {
  report: Report;
  actions: Action[];
}

interface Prepared {
  line: number;
  official: OfficialCollectivite;
  part: { id: string; key: string; values: Record<string, unknown>; fields: string[] };
  fiche?: { id: string; key: string; values: Record<string, unknown>; fields: string[] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hash = (parts: readonly string[]) => createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 32);

/** Groups lines by value for the report's lists. */
class Tally {
  private m = new Map<string, { lignes: number[]; extra?: string }>();
  add(valeur: string, line: number, extra?: string) {
    const e = this.m.get(valeur);
    if (e) e.lignes.push(line);
    else this.m.set(valeur, { lignes: [line], ...(extra !== undefined ? { extra } : {}) });
  }
  list() {
    return [...this.m.entries()].map(([valeur, e]) => ({ valeur, lignes: e.lignes, extra: e.extra }));
  }
}

export interface PlanInput {
  table: SourceTable;
  fileName: string;
  mapping: Mapping;
  matcher: CollectiviteMatcher;
  thematiques: readonly { code: string; libelle: string }[];
}

/** Reads the rows and prepares each one (nothing read from the database yet). */
function prepareRows(input: PlanInput, report: Report) {
  const { table, mapping, matcher } = input;
  const cols = resolveColumns(mapping, table.headers);
  const used = new Set([...cols.values()].flat());
  report.fichier.colonnesIgnorees = table.headers.filter((h, i) => h && !used.has(i));
  const ambiguous = new Map<string, { lignes: number[]; candidats: string[] }>();
  const unknown = new Tally();
  const paysInconnus = new Tally();
  const themes = new Tally();
  const matchedCodes = new Map<string, 'code' | 'nom'>();
  const prepared: Prepared[] = [];
  const today = todayParis();
  // A file names the same few hundred collectivités and partners on thousands of lines: what is derived from
  // them (the match, the ids) is worked out once per distinct value.
  const matches = new Map<string, MatchResult>();
  const cids = new Map<string, string>();
  const partners = new Map<string, { id: string; key: string }>();
  for (const b of table.broken) report.refusees.push({ ligne: b.line, raison: `Ligne illisible : ${b.reason}` });
  const identite = mapping.identite ?? DEFAULT_IDENTITE;
  for (const row of table.rows) {
    report.lignesLues++;
    const get = (f: ImportField): string => {
      let v = '';
      for (const at of cols.get(f) ?? []) if ((v = (row.cells[at] ?? '').trim())) break;
      return v || (mapping.defauts[f] ?? '');
    };
    const has = (f: ImportField) => cols.has(f) || mapping.defauts[f] !== undefined;
    const refuse = (raison: string) => report.refusees.push({ ligne: row.line, raison });
    if (row.cells.length < table.headers.length / 2 && row.cells.length > 0 && table.headers.length > 2) {
      refuse(
        `Ligne incomplète : ${row.cells.length} colonne${row.cells.length > 1 ? 's' : ''} au lieu de ${table.headers.length}`,
      );
      continue;
    }
    // The collectivité.
    const who = {
      code: get('collectiviteCode'),
      nom: get('collectiviteNom'),
      departement: get('departement'),
      region: get('region'),
    };
    const whoKey = `${who.code}\u001f${who.nom}\u001f${who.departement}\u001f${who.region}`;
    let m = matches.get(whoKey);
    if (!m) matches.set(whoKey, (m = matcher.match(who)));
    const label = get('collectiviteNom') || get('collectiviteCode');
    if (m.kind === 'ambiguous') {
      const e = ambiguous.get(label);
      if (e) e.lignes.push(row.line);
      else
        ambiguous.set(label, {
          lignes: [row.line],
          candidats: m.candidates.map((c) => `${c.nom} (${c.code}${c.departement ? `, dép. ${c.departement}` : ''})`),
        });
      refuse(`Collectivité ambiguë « ${label} » : précisez son code (SIREN ou INSEE) ou son département`);
      continue;
    }
    if (m.kind === 'unknown') {
      unknown.add(label || '(vide)', row.line, m.reason);
      refuse(`Collectivité inconnue : ${m.reason}`);
      continue;
    }
    const official = m.collectivite;
    if (!matchedCodes.has(official.code)) matchedCodes.set(official.code, m.by);
    let cid = cids.get(official.code);
    if (!cid) cids.set(official.code, (cid = collectiviteIdOf(official.code)));
    const errors: string[] = [];
    const take = <T>(p: Parsed<T>): T | null => {
      if (p.ok) return p.value;
      errors.push(p.reason);
      return null;
    };
    // The partenariat.
    const paysRaw = get('pays');
    const pays = paysRaw ? parsePays(paysRaw, mapping.pays) : null;
    if (!paysRaw) {
      refuse('Pays absent');
      continue;
    }
    if (!pays) {
      paysInconnus.add(paysRaw, row.line);
      refuse(`Pays inconnu « ${paysRaw} »`);
      continue;
    }
    const nomPartenaire = get('nomPartenaire');
    if (!nomPartenaire) {
      refuse('Nom du partenaire absent');
      continue;
    }
    const part: Record<string, unknown> = { collectiviteId: cid, pays, nomPartenaire };
    const pFields = ['collectiviteId', 'pays', 'nomPartenaire'];
    const setP = (f: string, v: unknown) => {
      part[f] = v;
      pFields.push(f);
    };
    if (has('dateConvention') && get('dateConvention'))
      setP('dateConvention', take(parseDate(get('dateConvention'), 'Date de signature de la convention')));
    else if (has('dateConvention')) setP('dateConvention', null);
    if (has('nature') && get('nature'))
      setP('nature', take(parseChoice(get('nature'), NATURES, NATURE_LABELS, 'Nature')));
    else if (has('nature') || has('dateConvention'))
      setP('nature', part.dateConvention ? 'cooperation_decentralisee' : 'action_exterieure');
    if (has('typePartenaire'))
      setP(
        'typePartenaire',
        get('typePartenaire')
          ? take(parseChoice(get('typePartenaire'), TYPES_PARTENAIRE, TYPE_PARTENAIRE_LABELS, 'Type de partenaire'))
          : null,
      );
    if (has('jumelage')) setP('jumelage', get('jumelage') ? take(parseBool(get('jumelage'), 'Jumelage')) : false);
    if (has('statutPartenariat') && get('statutPartenariat'))
      setP(
        'statut',
        take(
          parseChoice(
            get('statutPartenariat'),
            STATUTS_PARTENARIAT,
            STATUT_PARTENARIAT_LABELS,
            'Statut du partenariat',
          ),
        ),
      );
    for (const f of ['latitude', 'longitude'] as const)
      if (has(f)) setP(f, get(f) ? take(parseNumber(get(f), f === 'latitude' ? 'Latitude' : 'Longitude')) : null);
    // A partenariat's defaults where the file says nothing: an « action extérieure » (no convention date known).
    const partDefaults = {
      nature: 'action_exterieure',
      typePartenaire: null,
      jumelage: false,
      dateConvention: null,
      statut: 'active',
      latitude: null,
      longitude: null,
    };
    const partValues = { ...partDefaults, ...part };
    const idCol = get('partenariatId');
    let pKey: string;
    let partId: string;
    if (UUID.test(idCol)) pKey = partId = idCol.toLowerCase();
    else {
      const k = `${official.code}\u001f${pays}\u001f${nomPartenaire}`;
      let known = partners.get(k);
      if (!known) {
        const folded = foldText(nomPartenaire);
        known = {
          key: hash([official.code, pays, folded]),
          id: naturalId('partenariat', ['import', official.code, pays, folded]),
        };
        partners.set(k, known);
      }
      ({ key: pKey, id: partId } = known);
    }
    const prep: Prepared = {
      line: row.line,
      official,
      part: { id: partId, key: pKey, values: partValues, fields: pFields },
    };
    if (mapping.entite === 'ficheProjet') {
      const intitule = get('intitule');
      if (!intitule) {
        refuse('Intitulé du projet absent');
        continue;
      }
      const f: Record<string, unknown> = { collectiviteId: cid, partenariatId: partId, intitule };
      const fFields = ['collectiviteId', 'partenariatId', 'intitule'];
      const setF = (k: string, v: unknown) => {
        f[k] = v;
        fFields.push(k);
      };
      if (has('description')) setF('description', get('description') || intitule);
      if (has('thematiques')) {
        const r = parseLabels(get('thematiques'), input.thematiques, mapping.thematiques);
        for (const u of r.unknown) themes.add(u, row.line);
        if (!r.codes.length) {
          refuse(
            r.unknown.length
              ? `Thématique inconnue de la liste de référence : ${r.unknown.map((u) => `« ${u} »`).join(', ')}`
              : 'Thématique absente',
          );
          continue;
        }
        setF('thematiques', r.codes);
      }
      if (has('dateDebut') && get('dateDebut')) setF('dateDebut', take(parseDate(get('dateDebut'), 'Date de début')));
      if (has('dateFin')) setF('dateFin', get('dateFin') ? take(parseDate(get('dateFin'), 'Date de fin')) : null);
      if (has('statut') && get('statut'))
        setF('statut', take(parseChoice(get('statut'), STATUTS_PROJET, STATUT_PROJET_LABELS, 'Statut')));
      else if (has('dateDebut') || has('dateFin'))
        setF('statut', typeof f.dateFin === 'string' && f.dateFin < today ? 'termine' : 'en_cours');
      for (const [k, lbl] of [
        ['coutTotal', 'Coût total'],
        ['participationCollectivite', 'Participation de la collectivité'],
      ] as const)
        if (has(k)) setF(k, get(k) ? take(parseAmount(get(k), lbl)) : null);
      if (has('cofinancements'))
        setF('cofinancements', get('cofinancements') ? take(parseCofinancements(get('cofinancements'))) : []);
      for (const k of ['operateurs', 'beneficiaires', 'siteWeb'] as const) if (has(k)) setF(k, get(k) || null);
      if (has('odd')) setF('odd', get('odd') ? take(parseOdd(get('odd'))) : []);
      if (has('dispositifUnPourCent'))
        setF(
          'dispositifUnPourCent',
          get('dispositifUnPourCent')
            ? take(
                parseChoice(get('dispositifUnPourCent'), DISPOSITIFS_UN_POUR_CENT, DISPOSITIF_LABELS, 'Dispositif 1 %'),
              )
            : 'aucun',
        );
      if (!f.dateDebut) errors.push('« Date de début » absente');
      if (!f.description) errors.push('« Description » absente (colonne non reconnue)');
      if (!f.thematiques) errors.push('« Thématiques » absentes (colonne non reconnue)');
      const ficheCol = get('ficheId');
      const idValues = identite.map((k) =>
        k === 'collectiviteCode' || k === 'collectiviteNom' ? official.code : k === 'pays' ? pays : foldText(get(k)),
      );
      const key = UUID.test(ficheCol) && identite.includes('ficheId') ? ficheCol.toLowerCase() : hash(idValues);
      const id = UUID.test(ficheCol) ? ficheCol.toLowerCase() : naturalId('ficheProjet', ['import', key]);
      prep.fiche = { id, key, values: f, fields: fFields };
    }
    if (errors.length) {
      refuse(errors.join(' ; '));
      continue;
    }
    prepared.push(prep);
  }
  report.collectivites.ambigues = [...ambiguous.entries()].map(([valeur, e]) => ({ valeur, ...e }));
  report.collectivites.inconnues = unknown
    .list()
    .map((e) => ({ valeur: e.valeur, lignes: e.lignes, raison: e.extra ?? '' }));
  report.collectivites.reconnues = matchedCodes.size;
  report.collectivites.parCode = [...matchedCodes.values()].filter((v) => v === 'code').length;
  report.collectivites.parNom = [...matchedCodes.values()].filter((v) => v === 'nom').length;
  report.paysInconnus = paysInconnus.list().map((e) => ({ valeur: e.valeur, lignes: e.lignes }));
  report.thematiquesInconnues = themes.list().map((e) => ({ valeur: e.valeur, lignes: e.lignes }));
  return prepared;
}

const FICHE_DEFAULTS = {
  dateFin: null,
  coutTotal: null,
  participationCollectivite: null,
  cofinancements: [],
  operateurs: null,
  beneficiaires: null,
  odd: [],
  dispositifUnPourCent: 'aucun',
  referentContactId: null,
  siteWeb: null,
};

interface Known {
  rows: Map<string, Row>;
  owned: Map<string, { values: Record<string, unknown>; field_revs: Record<string, number> }>;
}

async function loadKnown(db: Queryable, entity: ImportEntity, ids: string[]): Promise<Known> {
  const rows = new Map<string, Row>();
  const owned: Known['owned'] = new Map();
  const table = TABLE_DEFS[entity].table;
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    for (const r of await db.query(`SELECT * FROM ${table} WHERE "id" = ANY($1::uuid[])`, [chunk]))
      rows.set(String(r.id), r);
    for (const r of await db.query<{
      record_id: string;
      values: Record<string, unknown>;
      field_revs: Record<string, number>;
    }>(
      'SELECT record_id, "values", field_revs FROM import_atlas_records WHERE entity = $1 AND record_id = ANY($2::uuid[])',
      [entity, chunk],
    ))
      owned.set(String(r.record_id), { values: r.values, field_revs: r.field_revs });
  }
  return { rows, owned };
}

function validate(
  entity: ImportEntity,
  rec: Record<string, unknown>,
  written: readonly string[] | 'all',
): string | null {
  const parsed = entityDef(entity).schema.safeParse(rec);
  if (!parsed.success) return summarize(parsed.error);
  const errs = writeRuleErrors(entity, parsed.data as Record<string, unknown>, written);
  return errs.length ? [...new Set(errs.map((e) => e.message))].join(' ') : null;
}

/**
 * What one planned record becomes against the database: a creation, an update of the fields the file changed
 * and nobody edited since, or nothing. Returns a refusal reason when the result would not be valid.
 */
function decide(
  entity: ImportEntity,
  p: { id: string; key: string; values: Record<string, unknown>; fields: string[] },
  line: number,
  known: Known,
  report: Report,
  counts: Counts,
): { action?: Action; refused?: string } {
  const row = known.rows.get(p.id);
  const tdef = TABLE_DEFS[entity];
  if (!row) {
    const full = Object.fromEntries(tdef.dataFields.map((f) => [f, p.values[f] ?? null]));
    const err = validate(entity, { ...full, id: p.id }, 'all');
    if (err) return { refused: err };
    counts.aCreer++;
    return {
      action: { op: 'create', entity, id: p.id, sourceKey: p.key, line, fields: full, remember: pick(full, p.fields) },
    };
  }
  const label = entityDef(entity).label;
  if (row.deleted === true) {
    report.conserves.push({ ligne: line, entite: label, champ: '—', raison: 'supprimé depuis : non recréé' });
    counts.inchanges++;
    return {};
  }
  const own = known.owned.get(p.id);
  const created = Number(row.created_rev);
  const fieldRevs = (row.field_revs ?? {}) as Record<string, number>;
  const updates: Record<string, unknown> = {};
  const bases: Record<string, number> = {};
  for (const f of p.fields) {
    const next = p.values[f] ?? null;
    const current = row[f] ?? null;
    if (sameValue(next, current)) continue;
    if (own && f in own.values && sameValue(next, own.values[f])) continue; // the file did not change it
    const rev = fieldRevs[f] ?? created;
    const importRev = own ? (own.field_revs[f] ?? created) : -1;
    if (!own) {
      report.conserves.push({
        ligne: line,
        entite: label,
        champ: f,
        raison: 'enregistrement existant créé hors de l’import : non modifié',
      });
      continue;
    }
    if (rev > importRev) {
      report.conserves.push({
        ligne: line,
        entite: label,
        champ: f,
        raison: 'modifié dans l’Atlas depuis l’import : conservé',
      });
      continue;
    }
    updates[f] = next;
    bases[f] = rev;
  }
  if (!Object.keys(updates).length) {
    counts.inchanges++;
    return {};
  }
  const current = Object.fromEntries(tdef.fields.map((f) => [f, row[f] ?? null]));
  const err = validate(entity, { ...current, ...updates }, Object.keys(updates));
  if (err) return { refused: err };
  counts.aMettreAJour++;
  return {
    action: {
      op: 'update',
      entity,
      id: p.id,
      sourceKey: p.key,
      line,
      fields: updates,
      bases,
      remember: { ...(own?.values ?? {}), ...pick(p.values, p.fields) },
      ...(row[REPRISE_FIELD] ? { reprise: fieldRevs[REPRISE_FIELD] ?? created } : {}),
    },
  };
}

const pick = (o: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.map((f) => [f, o[f] ?? null]));

export function emptyReport(input: Pick<PlanInput, 'table' | 'fileName' | 'mapping'>): Report {
  const t = input.table;
  return {
    fichier: {
      nom: input.fileName,
      format: t.format,
      ...(t.encoding ? { encodage: t.encoding === 'utf-8' ? 'UTF-8' : 'Windows-1252 (converti)' } : {}),
      ...(t.separator ? { separateur: t.separator === '\t' ? 'tabulation' : `« ${t.separator} »` } : {}),
      ...(t.sheet ? { feuille: t.sheet, feuilles: t.sheets } : {}),
      correspondance: input.mapping.description ?? '(sans description)',
      colonnesIgnorees: [],
    },
    lignesLues: 0,
    collectivites: { reconnues: 0, parCode: 0, parNom: 0, aCreerDansLaBase: 0, ambigues: [], inconnues: [] },
    partenariats: { aCreer: 0, aMettreAJour: 0, inchanges: 0 },
    fiches: { aCreer: 0, aMettreAJour: 0, inchanges: 0 },
    doublons: [],
    refusees: [],
    paysInconnus: [],
    thematiquesInconnues: [],
    conserves: [],
  };
}

/** The plan of an import: the report and, in order (parents first), the changes the real run writes. */
export async function planImport(db: Queryable, input: PlanInput): Promise<Plan> {
  const report = emptyReport(input);
  const prepared = prepareRows(input, report);
  // Duplicates: the same fiche (or, for a partenariats file, the same partenariat) twice.
  const seen = new Map<string, number>();
  const rows: Prepared[] = [];
  for (const p of prepared) {
    const k = p.fiche ? p.fiche.id : p.part.id;
    const first = seen.get(k);
    if (first !== undefined) {
      report.doublons.push({ ligne: p.line, premiereLigne: first });
      continue;
    }
    seen.set(k, p.line);
    rows.push(p);
  }
  // Partenariats grouped by (collectivité, pays, partner): the first line of a group gives its fields.
  const groups = new Map<string, { part: Prepared['part']; line: number; rows: Prepared[] }>();
  for (const p of rows) {
    const g = groups.get(p.part.id);
    if (g) g.rows.push(p);
    else groups.set(p.part.id, { part: p.part, line: p.line, rows: [p] });
  }
  const officials = new Map(rows.map((p) => [String(p.part.values.collectiviteId), p.official]));
  const existing = new Set(
    (
      await db.query<{ id: string }>('SELECT "id" FROM collectivite WHERE "id" = ANY($1::uuid[])', [
        [...officials.keys()],
      ])
    ).map((r) => String(r.id)),
  );
  const actions: Action[] = [];
  for (const [id, c] of officials) {
    if (existing.has(id)) continue;
    report.collectivites.aCreerDansLaBase++;
    actions.push({
      op: 'create',
      entity: 'collectivite',
      id,
      sourceKey: c.code,
      line: 0,
      fields: {
        code: c.code,
        nom: c.nom,
        type: c.type,
        departement: c.departement,
        region: c.region,
        adresse: null,
        codePostal: c.codesPostaux[0] ?? null,
        commune: null,
        telephone: null,
        courriel: null,
        siteWeb: null,
      },
      remember: {},
    });
  }
  const knownP = await loadKnown(db, 'partenariat', [...groups.keys()]);
  const knownF = await loadKnown(
    db,
    'ficheProjet',
    rows.flatMap((p) => (p.fiche ? [p.fiche.id] : [])),
  );
  for (const g of groups.values()) {
    const dp = decide('partenariat', g.part, g.line, knownP, report, report.partenariats);
    if (dp.refused) {
      for (const p of g.rows)
        report.refusees.push({
          ligne: p.line,
          raison: `Partenariat « ${String(g.part.values.nomPartenaire)} » (${nomPays(String(g.part.values.pays))}) : ${dp.refused}`,
        });
      continue;
    }
    if (dp.action) actions.push(dp.action);
    if (knownP.rows.get(g.part.id)?.deleted === true) {
      for (const p of g.rows)
        if (p.fiche)
          report.refusees.push({
            ligne: p.line,
            raison: 'Le partenariat de ce projet a été supprimé dans l’Atlas depuis l’import : fiche non recréée',
          });
      continue;
    }
    for (const p of g.rows) {
      if (!p.fiche) continue;
      const values = { ...FICHE_DEFAULTS, ...p.fiche.values };
      const df = decide('ficheProjet', { ...p.fiche, values }, p.line, knownF, report, report.fiches);
      if (df.refused) report.refusees.push({ ligne: p.line, raison: df.refused });
      else if (df.action) actions.push(df.action);
    }
  }
  report.refusees.sort((a, b) => a.ligne - b.ligne);
  return { report, actions };
}

/** The sync changes of an action (change ids are made by the caller). */
export function changeOf(a: Action, id: string, seq: number, reprisLe?: string): Change {
  const marks = reprisLe !== undefined && entityDef(a.entity).serverOnlyFields?.includes(REPRISE_FIELD);
  if (a.op === 'create') {
    const fields = marks ? { ...a.fields, [REPRISE_FIELD]: reprisLe } : a.fields;
    return { id, seq, op: 'create', entity: a.entity, record: a.id, fields };
  }
  const fields = Object.fromEntries(
    Object.entries(a.fields).map(([f, v]) => [f, { value: v, base: a.bases?.[f] ?? 0 }]),
  ) as Record<string, { value: unknown; base: number }>;
  if (marks && a.reprise !== undefined) fields[REPRISE_FIELD] = { value: reprisLe, base: a.reprise };
  return { id, seq, op: 'update', entity: a.entity, record: a.id, fields };
}
