// The read-only API of the open data (src-shared/api/public.ts): queries straight on the database, so an
// answer is as fresh as the last synced edit. Pages in identifier order with an opaque cursor (the last
// identifier, base64url): a walk from the first page to the last meets every record exactly once, even
// while records are added. Filters by the carrying collectivité (région, département, type), the country,
// the thématique. Every record goes through publicRecord; the APD only as totals (publicApdTotal).
import { LICENCE } from '../../src-shared/public/openData';
import { publicRecord, type PublicEntity } from '../../src-shared/public/fields';
import { nomPays, PAYS_CODES } from '../../src-shared/reference/pays';
import type { Queryable } from '../db/driver';
import { HttpError } from '../httpError';
import { TABLE_DEFS } from '../sync/tables';
import { publicColumns, withApdTotals, type PublicRow } from './data';

const licence = { nom: LICENCE.nom, url: LICENCE.url };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(c: string | undefined): string | null {
  if (!c) return null;
  const id = Buffer.from(c, 'base64url').toString('utf8');
  if (!UUID_RE.test(id))
    throw new HttpError(400, 'VALIDATION', 'Curseur invalide : reprenez la valeur « suivant » d’une réponse.');
  return id;
}

interface Filters {
  region?: string;
  departement?: string;
  type?: string;
  collectivite?: string;
  pays?: string;
  jumelage?: 'oui' | 'non';
  thematique?: string;
  statut?: string;
  annee?: number;
  limite: number;
  curseur?: string;
}

/** A WHERE clause built filter by filter, with numbered parameters. */
class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  add(sql: (p: string) => string, value: unknown): void {
    if (value === undefined) return;
    this.params.push(value);
    this.parts.push(sql(`$${this.params.length}`));
  }
  get sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

type Listed = Exclude<PublicEntity, 'adhesion' | 'entreeReference'>;

/** FROM and joins: the record, its live collectivité, and for a fiche its live partenariat. */
function from(entity: Listed): string {
  const t = `${TABLE_DEFS[entity].table} t`;
  if (entity === 'collectivite') return `${t}`;
  const c = `JOIN collectivite c ON c.id = t."collectiviteId" AND NOT c.deleted`;
  if (entity === 'ficheProjet') return `${t} ${c} JOIN partenariat p ON p.id = t."partenariatId" AND NOT p.deleted`;
  return `${t} ${c}`;
}

function where(entity: Listed, f: Filters): Where {
  const w = new Where();
  w.parts.push('NOT t.deleted');
  const c = entity === 'collectivite' ? 't' : 'c';
  w.add((p) => `${c}."region" = ${p}`, f.region);
  w.add((p) => `${c}."departement" = ${p}`, f.departement);
  w.add((p) => `${c}."type" = ${p}`, f.type);
  if (entity !== 'collectivite') w.add((p) => `t."collectiviteId" = ${p}`, f.collectivite);
  if (entity === 'partenariat') {
    w.add((p) => `t."pays" = ${p}`, f.pays);
    w.add((p) => `t."jumelage" = ${p}`, f.jumelage === undefined ? undefined : f.jumelage === 'oui');
  }
  if (entity === 'ficheProjet') {
    w.add((p) => `p."pays" = ${p}`, f.pays);
    w.add(
      (p) => `t."thematiques" @> ${p}::jsonb`,
      f.thematique === undefined ? undefined : JSON.stringify([f.thematique]),
    );
    w.add((p) => `t."statut" = ${p}`, f.statut);
  }
  if (entity === 'declarationApd') w.add((p) => `t."annee" = ${p}`, f.annee);
  return w;
}

export interface PublicPage {
  licence: { nom: string; url: string };
  total: number;
  enregistrements: PublicRow[];
  suivant: string | null;
}

/** One page of an entity's public records matching the filters. */
export async function listPage(db: Queryable, entity: Listed, f: Filters): Promise<PublicPage> {
  const w = where(entity, f);
  const [{ n }] = (await db.query<{ n: number | string }>(
    `SELECT count(*) AS n FROM ${from(entity)} ${w.sql}`,
    w.params,
  )) as [{ n: number | string }];
  const after = decodeCursor(f.curseur);
  if (after) w.add((p) => `t.id > ${p}`, after);
  const rows = await db.query<PublicRow>(
    `SELECT ${publicColumns(entity)}, t.deleted FROM ${from(entity)} ${w.sql} ORDER BY t.id LIMIT ${f.limite + 1}`,
    w.params,
  );
  const more = rows.length > f.limite;
  const kept = rows.slice(0, f.limite);
  let out = kept.map((r) => publicRecord(entity, r)).filter((r): r is PublicRow => !!r);
  if (entity === 'declarationApd') out = await withApdTotals(db, out);
  return {
    licence,
    total: Number(n),
    enregistrements: out,
    suivant: more ? encodeCursor(String(kept[kept.length - 1]!.id)) : null,
  };
}

async function rowsOf(db: Queryable, entity: Exclude<PublicEntity, 'entreeReference'>, collectiviteId: string) {
  const extra = entity === 'ficheProjet' ? ' JOIN partenariat p ON p.id = t."partenariatId" AND NOT p.deleted' : '';
  const rows = await db.query<PublicRow>(
    `SELECT ${publicColumns(entity)}, t.deleted FROM ${TABLE_DEFS[entity].table} t${extra}
     WHERE NOT t.deleted AND t."collectiviteId" = $1 ORDER BY t.id`,
    [collectiviteId],
  );
  return rows.map((r) => publicRecord(entity, r)).filter((r): r is PublicRow => !!r);
}

/** A collectivité by its official code, with everything public it carries. */
export async function collectiviteDetail(db: Queryable, code: string) {
  const rows = await db.query<PublicRow>(
    `SELECT ${publicColumns('collectivite')}, t.deleted FROM collectivite t WHERE t."code" = $1 AND NOT t.deleted`,
    [code],
  );
  const collectivite = rows[0] && publicRecord('collectivite', rows[0]);
  if (!collectivite) throw new HttpError(404, 'NOT_FOUND', `Aucune collectivité publiée sous le code « ${code} ».`);
  const id = String(collectivite.id);
  const [adhesions, partenariats, projets, declarations] = [
    await rowsOf(db, 'adhesion', id),
    await rowsOf(db, 'partenariat', id),
    await rowsOf(db, 'ficheProjet', id),
    await rowsOf(db, 'declarationApd', id),
  ];
  return { licence, collectivite, adhesions, partenariats, projets, apd: await withApdTotals(db, declarations) };
}

/** A partner country: the French collectivités working there and the thématiques of their projects. */
export async function paysDetail(db: Queryable, code: string) {
  if (!PAYS_CODES.has(code)) throw new HttpError(404, 'NOT_FOUND', `Aucun pays sous le code « ${code} ».`);
  const cols = await db.query<PublicRow & { n: number | string }>(
    `SELECT ${publicColumns('collectivite', 'c')}, c.deleted, count(*) AS n
     FROM partenariat t JOIN collectivite c ON c.id = t."collectiviteId" AND NOT c.deleted
     WHERE NOT t.deleted AND t."pays" = $1 GROUP BY c.id ORDER BY c."nom", c.id`,
    [code],
  );
  const themes = await db.query<{ code: string; n: number | string }>(
    `SELECT th.code, count(*) AS n
     FROM fiche_projet t JOIN partenariat p ON p.id = t."partenariatId" AND NOT p.deleted
     JOIN collectivite c ON c.id = t."collectiviteId" AND NOT c.deleted
     CROSS JOIN LATERAL jsonb_array_elements_text(t."thematiques") AS th(code)
     WHERE NOT t.deleted AND p."pays" = $1 GROUP BY th.code ORDER BY count(*) DESC, th.code`,
    [code],
  );
  const labels = new Map(
    (
      await db.query<{ code: string; libelle: string }>(
        `SELECT "code", "libelle" FROM entree_reference WHERE "liste" = 'thematique' AND NOT deleted`,
      )
    ).map((r) => [r.code, r.libelle]),
  );
  const projets = themes.length
    ? Number(
        (
          await db.query<{ n: number | string }>(
            `SELECT count(*) AS n FROM fiche_projet t JOIN partenariat p ON p.id = t."partenariatId" AND NOT p.deleted
             JOIN collectivite c ON c.id = t."collectiviteId" AND NOT c.deleted WHERE NOT t.deleted AND p."pays" = $1`,
            [code],
          )
        )[0]?.n ?? 0,
      )
    : 0;
  const fields = ['id', 'code', 'nom', 'type', 'departement', 'region'] as const;
  return {
    licence,
    code,
    nom: nomPays(code),
    partenariats: cols.reduce((s, r) => s + Number(r.n), 0),
    projets,
    collectivites: cols.map((r) => {
      const p = publicRecord('collectivite', r)!;
      return { ...Object.fromEntries(fields.map((f) => [f, p[f]])), partenariats: Number(r.n) } as {
        id: string;
        code: string;
        nom: string;
        type: string;
        departement: string | null;
        region: string | null;
        partenariats: number;
      };
    }),
    thematiques: themes.map((t) => ({ code: t.code, libelle: labels.get(t.code) ?? t.code, projets: Number(t.n) })),
  };
}
