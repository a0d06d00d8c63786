// The public Atlas's data, held in memory per data version: every public record (through publicRecord, the one
// rule of src-shared/public/fields.ts — nothing else of a row is kept) and the indexes the pages read (by
// collectivité, partenariat, country, reference list), so a page is built from maps, never from a query.
//
// Freshness: the data is read again from the database when the sync service's watermark (every revision at or
// below it committed) has moved, at most every REFRESH_MS, incrementally (rows whose sync_rev is in
// (checkedUpTo, watermark], by the sync_rev index of each table). The indexes are rebuilt only when a public row
// changed: the version (the highest sync_rev of a public row seen) is what pages derive their ETags from, so an
// edit of a contact or an avis changes nothing here.
import { publicApdTotal, publicRecord, type PublicEntity } from '../../src-shared/public/fields';
import type { Collectivite } from '../../src-shared/domain/collectivite';
import type { Adhesion } from '../../src-shared/domain/adhesion';
import type { Partenariat } from '../../src-shared/domain/partenariat';
import type { FicheProjet } from '../../src-shared/domain/ficheProjet';
import type { EntreeReference } from '../../src-shared/domain/entreeReference';
import { nomPays } from '../../src-shared/reference/pays';
import { foldText } from '../../src-shared/reference/collectivites/normalize';
import type { Queryable } from '../db/driver';
import type { RevAllocator } from '../sync/revs';
import { TABLES } from '../sync/tables';
import { departementNom } from './territoires';

export type PubCollectivite = Pick<
  Collectivite,
  'id' | 'code' | 'nom' | 'type' | 'departement' | 'region' | 'adresse' | 'codePostal' | 'commune' | 'siteWeb'
>;
export type PubAdhesion = Pick<
  Adhesion,
  'id' | 'collectiviteId' | 'reseauCode' | 'reseauNom' | 'adherent' | 'utilisePourActions' | 'depuis'
>;
export type PubPartenariat = Pick<
  Partenariat,
  | 'id'
  | 'collectiviteId'
  | 'nature'
  | 'pays'
  | 'nomPartenaire'
  | 'typePartenaire'
  | 'jumelage'
  | 'dateConvention'
  | 'statut'
  | 'latitude'
  | 'longitude'
>;
export type PubFiche = Omit<FicheProjet, 'referentContactId'>;
export type PubEntree = Pick<EntreeReference, 'id' | 'liste' | 'code' | 'libelle' | 'retiree'>;

/**
 * Refreshes at most this often (a rebuild of the national indexes costs a few hundred milliseconds of CPU): an edit
 * synced shows on the pages within seconds; the pages' max-age adds at most 10 s in a browser.
 */
export const REFRESH_MS = 10_000;

const ENTITIES: PublicEntity[] = [
  'collectivite',
  'adhesion',
  'partenariat',
  'ficheProjet',
  'declarationApd',
  'entreeReference',
];

export interface Pays {
  code: string;
  nom: string;
  partenariats: PubPartenariat[];
  collectivites: PubCollectivite[];
  fiches: PubFiche[];
  /** Thématique code → number of fiches of this country. */
  thematiques: Map<string, number>;
}

export interface SearchEntry {
  kind: 'collectivite' | 'partenaire' | 'projet' | 'pays';
  /** Folded words, with a leading space: a query word matches the start of a word. */
  text: string;
  ref: PubCollectivite | PubPartenariat | PubFiche | Pays;
}

/** Everything a page reads, for one data version. Immutable once built. */
export interface AtlasData {
  version: number;
  collectivites: PubCollectivite[];
  collectiviteById: Map<string, PubCollectivite>;
  /** By official code in lower case (`commune:35238`). */
  collectiviteByCode: Map<string, PubCollectivite>;
  engagees: PubCollectivite[];
  partenariats: PubPartenariat[];
  partenariatById: Map<string, PubPartenariat>;
  partenariatsOf: Map<string, PubPartenariat[]>;
  fiches: PubFiche[];
  ficheById: Map<string, PubFiche>;
  fichesOfCollectivite: Map<string, PubFiche[]>;
  fichesOfPartenariat: Map<string, PubFiche[]>;
  adhesionsOf: Map<string, PubAdhesion[]>;
  apdOf: Map<string, { annee: number; total: number }[]>;
  pays: Map<string, Pays>;
  paysListe: Pays[];
  thematiques: PubEntree[];
  libelle(liste: 'thematique' | 'reseau', code: string): string;
  figures: { collectivites: number; partenaires: number; pays: number; projets: number; actions: number };
  search: SearchEntry[];
  /** The first three letters of each word → the entries (indexes in `search`) with such a word. */
  searchIndex: Map<string, number[]>;
  regions: string[];
  departements: string[];
}

/**
 * Folded texts (sort keys, search texts) memoised per record object: a record's public view is replaced only when
 * the record changes, so a rebuild folds only what changed (folding every name cost most of a rebuild).
 */
const foldMemo = new WeakMap<object, Map<string, string>>();
function folded(rec: object, slot: string, make: () => string): string {
  let m = foldMemo.get(rec);
  if (!m) foldMemo.set(rec, (m = new Map()));
  let v = m.get(slot);
  if (v === undefined) m.set(slot, (v = make()));
  return v;
}
/** French order on folded keys (accents and case ignored), by plain comparison: no collator call per pair. */
function sortBy<T extends object>(items: T[], key: (t: T) => string): T[] {
  const keyed = items.map((t) => ({ t, k: folded(t, 'tri', () => foldText(key(t))) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.t);
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const a = m.get(k);
    if (a) a.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** Builds the indexes from the public records (a pure function of them: the tests call it too). */
export function buildAtlas(
  version: number,
  base: Record<PublicEntity, Map<string, Record<string, unknown>>>,
  lignes: Map<string, { declarationApdId: string; montant: number }>,
): AtlasData {
  const collectivites = sortBy(
    [...base.collectivite.values()] as unknown as PubCollectivite[],
    (c) => `${c.nom} ${c.code}`,
  );
  const collectiviteById = new Map(collectivites.map((c) => [c.id, c]));
  const collectiviteByCode = new Map(collectivites.map((c) => [c.code.toLowerCase(), c]));
  // A child shows only while its parents are live (a deleted parent hides what hangs on it).
  const partenariats = sortBy(
    ([...base.partenariat.values()] as unknown as PubPartenariat[]).filter((p) =>
      collectiviteById.has(p.collectiviteId),
    ),
    (p) => `${nomPays(p.pays)}  ${p.nomPartenaire}`,
  );
  const partenariatById = new Map(partenariats.map((p) => [p.id, p]));
  const fiches = sortBy(
    ([...base.ficheProjet.values()] as unknown as PubFiche[]).filter(
      (f) => collectiviteById.has(f.collectiviteId) && partenariatById.has(f.partenariatId),
    ),
    (f) => f.intitule,
  );
  const ficheById = new Map(fiches.map((f) => [f.id, f]));
  const adhesions = ([...base.adhesion.values()] as unknown as PubAdhesion[]).filter((a) =>
    collectiviteById.has(a.collectiviteId),
  );
  const entrees = [...base.entreeReference.values()] as unknown as PubEntree[];
  const labels = new Map(entrees.map((e) => [`${e.liste}:${e.code}`, e.libelle]));
  const libelle = (liste: 'thematique' | 'reseau', code: string) => labels.get(`${liste}:${code}`) ?? code;

  const totals = new Map<string, { montant: number }[]>();
  for (const l of lignes.values()) {
    const a = totals.get(l.declarationApdId);
    if (a) a.push(l);
    else totals.set(l.declarationApdId, [l]);
  }
  const apdOf = new Map<string, { annee: number; total: number }[]>();
  for (const d of base.declarationApd.values()) {
    const cid = d.collectiviteId as string;
    if (!collectiviteById.has(cid)) continue;
    const row = { annee: d.annee as number, total: publicApdTotal(totals.get(d.id as string) ?? []) };
    const a = apdOf.get(cid);
    if (a) a.push(row);
    else apdOf.set(cid, [row]);
  }
  for (const a of apdOf.values()) a.sort((x, y) => y.annee - x.annee);

  const partenariatsOf = group(partenariats, (p) => p.collectiviteId);
  const fichesOfPartenariat = group(fiches, (f) => f.partenariatId);
  const pays = new Map<string, Pays>();
  for (const p of partenariats) {
    let e = pays.get(p.pays);
    if (!e) {
      e = {
        code: p.pays,
        nom: nomPays(p.pays),
        partenariats: [],
        collectivites: [],
        fiches: [],
        thematiques: new Map(),
      };
      pays.set(p.pays, e);
    }
    e.partenariats.push(p);
    for (const f of fichesOfPartenariat.get(p.id) ?? []) {
      e.fiches.push(f);
      for (const t of f.thematiques) e.thematiques.set(t, (e.thematiques.get(t) ?? 0) + 1);
    }
  }
  const rank = new Map(collectivites.map((c, i) => [c.id, i]));
  for (const e of pays.values()) {
    const ids = [...new Set(e.partenariats.map((p) => p.collectiviteId))];
    ids.sort((a, b) => rank.get(a)! - rank.get(b)!);
    e.collectivites = ids.map((id) => collectiviteById.get(id)!);
  }
  const paysListe = [...pays.values()].sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
  const engagees = collectivites.filter((c) => partenariatsOf.has(c.id));
  const partenaires = new Set(
    partenariats.map((p) => `${p.pays}|${folded(p, 'nom', () => foldText(p.nomPartenaire))}`),
  );

  const search: SearchEntry[] = [];
  for (const c of collectivites)
    search.push({
      kind: 'collectivite',
      text: folded(
        c,
        'recherche',
        () =>
          ` ${foldText(`${c.nom} ${c.code.replace(':', ' ')} ${c.commune ?? ''} ${departementNom(c.departement) ?? ''}`)}`,
      ),
      ref: c,
    });
  for (const p of partenariats)
    search.push({
      kind: 'partenaire',
      text: folded(p, 'recherche', () => ` ${foldText(`${p.nomPartenaire} ${nomPays(p.pays)}`)}`),
      ref: p,
    });
  for (const f of fiches)
    search.push({
      kind: 'projet',
      // (the thématiques' labels are part of the key: a renamed label makes a new text)
      text: folded(
        f,
        `recherche ${f.thematiques.map((t) => libelle('thematique', t)).join('|')}`,
        () => ` ${foldText(`${f.intitule} ${f.thematiques.map((t) => libelle('thematique', t)).join(' ')}`)}`,
      ),
      ref: f,
    });
  for (const e of paysListe) search.push({ kind: 'pays', text: ` ${foldText(e.nom)} ${e.code.toLowerCase()}`, ref: e });

  const searchIndex = new Map<string, number[]>();
  search.forEach((e, i) => {
    for (const k of new Set(
      e.text
        .trim()
        .split(' ')
        .map((w) => w.slice(0, 3)),
    )) {
      const a = searchIndex.get(k);
      if (a) a.push(i);
      else searchIndex.set(k, [i]);
    }
  });
  const usedThematiques = new Set(fiches.flatMap((f) => f.thematiques));
  return {
    version,
    collectivites,
    collectiviteById,
    collectiviteByCode,
    engagees,
    partenariats,
    partenariatById,
    partenariatsOf,
    fiches,
    ficheById,
    fichesOfCollectivite: group(fiches, (f) => f.collectiviteId),
    fichesOfPartenariat,
    adhesionsOf: group(adhesions, (a) => a.collectiviteId),
    apdOf,
    pays,
    paysListe,
    thematiques: entrees
      .filter((e) => e.liste === 'thematique' && (!e.retiree || usedThematiques.has(e.code)))
      .sort((a, b) => a.libelle.localeCompare(b.libelle, 'fr')),
    libelle,
    figures: {
      collectivites: engagees.length,
      partenaires: partenaires.size,
      pays: pays.size,
      projets: fiches.length,
      actions: partenariats.length,
    },
    search,
    searchIndex,
    regions: [...new Set(engagees.map((c) => c.region).filter((r): r is string => !!r))].sort(),
    departements: [...new Set(engagees.map((c) => c.departement).filter((d): d is string => !!d))].sort(),
  };
}

/** Keeps the public data of the database in memory, refreshed from the sync service's watermark. */
export class AtlasPublicData {
  private base = Object.fromEntries(ENTITIES.map((e) => [e, new Map<string, Record<string, unknown>>()])) as Record<
    PublicEntity,
    Map<string, Record<string, unknown>>
  >;
  private lignes = new Map<string, { declarationApdId: string; montant: number }>();
  private data: AtlasData | null = null;
  private version = 0;
  private checkedUpTo = -1;
  private lastRefresh = 0;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Queryable,
    private readonly revs: Pick<RevAllocator, 'watermark'>,
    private readonly onError: (e: unknown) => void = () => undefined,
    private readonly refreshMs = REFRESH_MS,
  ) {}

  /**
   * The data to serve now: the first call waits for the first load; later calls answer at once and start a
   * refresh in the background when something was written since (at most every refreshMs).
   */
  async current(): Promise<AtlasData> {
    if (!this.data) {
      await this.refresh();
      return this.data!;
    }
    if (!this.running && this.revs.watermark() > this.checkedUpTo && Date.now() - this.lastRefresh >= this.refreshMs)
      void this.refresh().catch(this.onError);
    return this.data;
  }

  /** Reads what changed up to the watermark and rebuilds the indexes if a public row changed. */
  refresh(): Promise<void> {
    this.running ??= this.load().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async load(): Promise<void> {
    this.lastRefresh = Date.now();
    const upTo = this.revs.watermark();
    const from = this.checkedUpTo;
    let changed = this.data === null;
    for (const entity of ENTITIES) {
      const rows = await this.db.query(`SELECT * FROM ${TABLES[entity]} WHERE sync_rev > $1 AND sync_rev <= $2`, [
        from,
        upTo,
      ]);
      const map = this.base[entity];
      for (const row of rows) {
        changed = true;
        this.version = Math.max(this.version, Number(row.sync_rev));
        const pub = publicRecord(entity, row);
        if (pub) map.set(pub.id as string, pub);
        else map.delete(row.id as string);
      }
    }
    // The lines of a declaration are never public: only their amounts are kept, to publish each year's total.
    const lignes = await this.db.query<{
      id: string;
      declarationApdId: string;
      montant: number;
      deleted: boolean;
      sync_rev: number;
    }>(
      `SELECT id, "declarationApdId", montant, deleted, sync_rev FROM ${TABLES.ligneApd} WHERE sync_rev > $1 AND sync_rev <= $2`,
      [from, upTo],
    );
    for (const l of lignes) {
      changed = true;
      this.version = Math.max(this.version, Number(l.sync_rev));
      if (l.deleted) this.lignes.delete(l.id);
      else this.lignes.set(l.id, { declarationApdId: l.declarationApdId, montant: Number(l.montant) });
    }
    this.checkedUpTo = upTo;
    if (changed) this.data = buildAtlas(this.version, this.base, this.lignes);
  }
}
