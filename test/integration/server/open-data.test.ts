// Open data (issue 17): the downloads, the dictionary and the public API publish exactly the public data.
// A sentinel is written into every field the rule keeps private (every non-public field of a public entity,
// every text field of an entity never public), per-line APD amounts that only their total may reveal, a
// referent contact, and a deleted record of each public entity; then every file and every API route is read
// and must contain none of them. The files must equal the database's public data field by field (the CSV
// read back), the pages of the API must meet every record once, the limit must answer 429, and an edit
// synced by an agent must show in the files at once (a new data version).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_NAMES, entityFields, fieldInfo, type EntityName } from '../../../src-shared/registry';
import {
  NEVER_PUBLIC,
  PUBLIC_FIELDS,
  isPublicEntity,
  isPublicField,
  publicRecord,
  type PublicEntity,
} from '../../../src-shared/public/fields';
import { ALL_FILE, LICENCE, OPEN_DATASETS, datasetColumns } from '../../../src-shared/public/openData';
import { TABLE_DEFS } from '../../../src-server/sync/tables';
import { OpenDataStore } from '../../../src-server/open-data/files';
import { PAGE_CACHE_CONTROL } from '../../../src-server/atlas-public/cache';
import type { Row } from '../../../src-server/db/driver';
import { parseCsv } from '../../support/csv';
import { TestDevice, api } from '../helpers/client';
import { startTestServer, type TestServer, type TestUser } from '../helpers/testServer';

type Rec = Record<string, unknown>;
const SECRET = 'SENTINELLE';
/** Per-line APD amounts: only their total may be published. */
const LINE_AMOUNTS = [4321.17, 8765.43];

let s: TestServer;
let agent: TestUser;
/** Values that must appear nowhere public: ids of never-public and deleted records, per-line amounts, emails. */
const forbidden = new Set<string>();

const sql = <T extends Row = Rec>(text: string, params: unknown[] = []) => s.internals.db.query<T>(text, params);
const TEXT_TYPES = new Set(['text', 'longText', 'email', 'phone', 'url', 'postalCode', undefined]);

beforeAll(async () => {
  // Files rebuilt before any answer after a change (the default lets them lag 30 s while rebuilt: tested below).
  s = await startTestServer({ seed: 'small', env: { OPEN_DATA_MAX_STALE_SECONDS: '0' } });
  agent = await s.createUser({ role: 'agent', collectiviteCode: 'commune:35238' });
  forbidden.add(agent.email);
  // 1. A sentinel in every text field the rule keeps private.
  for (const e of ENTITY_NAMES) {
    const t = TABLE_DEFS[e].table;
    for (const f of entityFields(e)) {
      if (isPublicField(e, f) || f === 'id') continue;
      if (!TEXT_TYPES.has(fieldInfo(e, f)?.type)) continue;
      await sql(`UPDATE ${t} SET "${f}" = '${SECRET}-${e}-${f}-' || left(id::text, 8)`);
    }
    // Records of entities never public: their ids must not leak (as a reference or otherwise).
    if (!isPublicEntity(e)) for (const r of await sql<{ id: string }>(`SELECT id FROM ${t}`)) forbidden.add(r.id);
  }
  expect((await sql(`SELECT 1 FROM contact`)).length).toBeGreaterThan(0);
  expect((await sql(`SELECT 1 FROM avis`)).length).toBeGreaterThan(0);
  // 2. A referent contact on every fiche (the contact's id is personal data's key).
  await sql(
    `UPDATE fiche_projet f SET "referentContactId" = (SELECT c.id FROM contact c WHERE c."collectiviteId" = f."collectiviteId" LIMIT 1)`,
  );
  // 3. Per-line APD amounts: two lines on one declaration.
  const lines = await sql<{ id: string }>(`SELECT id FROM ligne_apd ORDER BY id LIMIT 2`);
  expect(lines).toHaveLength(2);
  for (const [i, l] of lines.entries())
    await sql(`UPDATE ligne_apd SET montant = $1 WHERE id = $2`, [LINE_AMOUNTS[i], l.id]);
  for (const a of LINE_AMOUNTS) {
    forbidden.add(String(a));
    forbidden.add(String(a).replace('.', ','));
  }
  const lyon = (await sql<{ id: string }>(`SELECT id FROM collectivite WHERE code = 'commune:69123'`))[0]!.id;
  // 4. A deleted record of each public entity, its public text fields full of sentinels.
  for (const e of Object.keys(PUBLIC_FIELDS) as PublicEntity[]) {
    const t = TABLE_DEFS[e].table;
    const [row] = await sql<{ id: string }>(
      e === 'collectivite'
        ? `SELECT id FROM collectivite WHERE id = '${lyon}'` // Lyon: its children go with it
        : `SELECT id FROM ${t} WHERE NOT deleted ORDER BY id DESC LIMIT 1`,
    );
    expect(row, e).toBeDefined();
    const texts = PUBLIC_FIELDS[e].filter(
      (f) => f !== 'id' && ['text', 'longText'].includes(fieldInfo(e, f)?.type ?? ''),
    );
    const sets = texts.map((f) => `"${f}" = '${SECRET}-supprime-${e}-${f}'`);
    await sql(`UPDATE ${t} SET deleted = true${sets.length ? `, ${sets.join(', ')}` : ''} WHERE id = $1`, [row!.id]);
    forbidden.add(row!.id);
  }
  // Children of the deleted collectivité: never published under a deleted parent.
  for (const e of ['adhesion', 'partenariat', 'ficheProjet', 'declarationApd'] as const)
    for (const r of await sql<{ id: string }>(`SELECT id FROM ${TABLE_DEFS[e].table} WHERE "collectiviteId" = $1`, [
      lyon,
    ]))
      forbidden.add(r.id);
}, 60_000);

afterAll(async () => {
  await s?.close();
});

function assertNothingPrivate(where: string, text: string): void {
  expect(text.includes(SECRET), `${where} contient une sentinelle`).toBe(false);
  for (const v of forbidden) expect(text.includes(v), `${where} contient « ${v} »`).toBe(false);
}

/** The public data as the database holds it: live records under live parents, through publicRecord. */
async function expectedRows(d: (typeof OPEN_DATASETS)[number]): Promise<Rec[]> {
  const live = async (e: EntityName) =>
    new Set((await sql<{ id: string }>(`SELECT id FROM ${TABLE_DEFS[e].table} WHERE NOT deleted`)).map((r) => r.id));
  const colls = await live('collectivite');
  const parts = await live('partenariat');
  const rows = await sql(`SELECT * FROM ${TABLE_DEFS[d.entity].table} ORDER BY id`);
  let out = rows
    .map((r) => publicRecord(d.entity, r))
    .filter((r): r is Rec => !!r)
    .filter((r) => d.entity === 'collectivite' || d.entity === 'entreeReference' || colls.has(String(r.collectiviteId)))
    .filter((r) => d.entity !== 'ficheProjet' || parts.has(String(r.partenariatId)));
  if (d.entity === 'declarationApd') {
    const sums = await sql<{ d: string; cents: string | number }>(
      `SELECT "declarationApdId" AS d, sum(round(montant * 100)) AS cents FROM ligne_apd WHERE NOT deleted GROUP BY 1`,
    );
    const by = new Map(sums.map((x) => [x.d, Number(x.cents) / 100]));
    out = out.map((r) => ({ ...r, montantTotal: by.get(String(r.id)) ?? 0 }));
  }
  // The database's own types (bigint as text…) as the JSON writes them.
  return JSON.parse(JSON.stringify(out)) as Rec[];
}

/** A CSV cell read back by the dictionary's rules (decimal comma, oui/non, « | » lists, JSON objects). */
function readCell(entity: PublicEntity, field: string, cell: string): unknown {
  if (cell === '') return field === 'cofinancements' || field === 'odd' ? [] : null;
  const type = field === 'montantTotal' ? 'amount' : fieldInfo(entity, field)?.type;
  if (/^'[=+\-@\t\r]/.test(cell)) cell = cell.slice(1);
  switch (type) {
    case 'boolean':
      return cell === 'oui';
    case 'amount':
    case 'coordinate':
    case 'integer':
    case 'year':
      return Number(cell.replace(',', '.'));
    case 'choices':
      return field === 'odd' ? cell.split('|').map(Number) : cell.split('|');
    case 'list':
      return JSON.parse(cell);
    default:
      return cell;
  }
}

/** The agent renames her first partenariat through a sync (applied); returns it. */
async function renameSynced(nomPartenaire: string): Promise<{ id: string }> {
  const device = await new TestDevice(s.url).login(agent.email, agent.password);
  const [p] = await sql<{ id: string; sync_rev: string }>(
    `SELECT id, sync_rev FROM partenariat WHERE "collectiviteId" = $1 AND NOT deleted ORDER BY id LIMIT 1`,
    [agent.collectiviteId],
  );
  const r = await device.sync([
    device.change({
      entity: 'partenariat',
      op: 'update',
      record: p!.id,
      fields: { nomPartenaire: { value: nomPartenaire, base: Number(p!.sync_rev) } },
    }),
  ]);
  expect(r.body.results[0]).toMatchObject({ status: 'applied' });
  return p!;
}

describe('open data', () => {
  it('publishes every file without a single non-public value, the page and the dictionary too', async () => {
    const page = await api<string>(s.url, '/atlas/donnees');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.body).toContain('lang="fr"');
    expect(page.body).toContain(LICENCE.url);
    assertNothingPrivate('/atlas/donnees', page.body);
    const dict = await api<string>(s.url, '/atlas/donnees/dictionnaire');
    expect(dict.status).toBe(200);
    assertNothingPrivate('/atlas/donnees/dictionnaire', dict.body);
    const names = [
      ...OPEN_DATASETS.flatMap((d) => [`${d.fichier}.csv`, `${d.fichier}.json`]),
      `${ALL_FILE}.json`,
      'dictionnaire.csv',
      'dictionnaire.json',
    ];
    for (const n of names) {
      const r = await fetch(`${s.url}/atlas/donnees/${n}`);
      expect(r.status, n).toBe(200);
      expect(r.headers.get('access-control-allow-origin'), n).toBe('*');
      expect(r.headers.get('etag'), n).toBeTruthy();
      expect(r.headers.get('last-modified'), n).toBeTruthy();
      expect(r.headers.get('cache-control'), n).toMatch(/max-age=\d+/);
      const text = await r.text();
      expect(text.length, n).toBeGreaterThan(100);
      assertNothingPrivate(n, text);
      if (n.endsWith('.json'))
        expect((JSON.parse(text) as { licence: { url: string } }).licence.url, n).toBe(LICENCE.url);
    }
  });

  it('holds in each file exactly the public data of the database, field by field (CSV read back)', async () => {
    const all = (await (await fetch(`${s.url}/atlas/donnees/${ALL_FILE}.json`)).json()) as {
      fichiers: Record<string, Rec[]>;
    };
    for (const d of OPEN_DATASETS) {
      const expected = await expectedRows(d);
      expect(expected.length, d.fichier).toBeGreaterThan(0);
      const json = (await (await fetch(`${s.url}/atlas/donnees/${d.fichier}.json`)).json()) as {
        enregistrements: Rec[];
      };
      expect(json.enregistrements, d.fichier).toEqual(expected);
      expect(all.fichiers[d.fichier], d.fichier).toEqual(expected);
      const bytes = Buffer.from(await (await fetch(`${s.url}/atlas/donnees/${d.fichier}.csv`)).arrayBuffer());
      expect([...bytes.subarray(0, 3)], 'BOM UTF-8').toEqual([0xef, 0xbb, 0xbf]);
      const raw = bytes.toString('utf8');
      expect(raw.includes('\r\n'), 'CRLF').toBe(true);
      const [header, ...lines] = parseCsv(raw);
      expect(header).toEqual(datasetColumns(d));
      const read = lines.map((cells) =>
        Object.fromEntries(header!.map((f, i) => [f, readCell(d.entity, f, cells[i] ?? '')])),
      );
      expect(read, `${d.fichier}.csv`).toEqual(expected);
    }
  });

  it('has a dictionary listing exactly the public fields of each file (plus the computed APD total)', async () => {
    const dict = (await (await fetch(`${s.url}/atlas/donnees/dictionnaire.json`)).json()) as {
      champs: { fichier: string; entite: string; champ: string; libelle: string; type: string; calcule: boolean }[];
    };
    expect(new Set(OPEN_DATASETS.map((d) => d.entity))).toEqual(new Set(Object.keys(PUBLIC_FIELDS)));
    for (const d of OPEN_DATASETS) {
      const entries = dict.champs.filter((c) => c.fichier === d.fichier);
      expect(
        entries.filter((c) => !c.calcule).map((c) => c.champ),
        d.fichier,
      ).toEqual([...PUBLIC_FIELDS[d.entity]]);
      expect(entries.filter((c) => c.calcule).map((c) => c.champ)).toEqual(
        d.entity === 'declarationApd' ? ['montantTotal'] : [],
      );
      for (const c of entries) expect(c.libelle && c.type, `${d.fichier}.${c.champ}`).toBeTruthy();
    }
    for (const e of NEVER_PUBLIC) expect(dict.champs.some((c) => c.entite === e)).toBe(false);
    const csv = parseCsv(await (await fetch(`${s.url}/atlas/donnees/dictionnaire.csv`)).text());
    expect(csv.slice(1).filter((r) => r[0] !== '(tous)')).toHaveLength(dict.champs.length);
    expect(csv.some((r) => r.join(' ').includes(LICENCE.url))).toBe(true);
  });

  it('walks every API route: no non-public value, every record once in a stable order, filters that filter', async () => {
    const lists = [
      ['collectivites', 'collectivite'],
      ['partenariats', 'partenariat'],
      ['projets', 'ficheProjet'],
      ['apd', 'declarationApd'],
    ] as const;
    for (const [path, entity] of lists) {
      const expected = await expectedRows(OPEN_DATASETS.find((d) => d.entity === entity)!);
      const seen: Rec[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: {
          status: number;
          body: { enregistrements: Rec[]; suivant: string | null; total: number };
          headers: Headers;
        } = await api(s.url, `/api/public/v1/${path}?limite=2${cursor ? `&curseur=${cursor}` : ''}`);
        expect(r.status, path).toBe(200);
        expect(r.headers.get('access-control-allow-origin')).toBe('*');
        assertNothingPrivate(path, JSON.stringify(r.body));
        expect(r.body.total).toBe(expected.length);
        seen.push(...r.body.enregistrements);
        cursor = r.body.suivant;
        pages++;
      } while (cursor && pages < 100);
      expect(seen, path).toEqual(expected);
    }
    // Filters: the records of one région, of one country, of one thématique.
    const colls = await expectedRows(OPEN_DATASETS[0]!);
    const r53 = await api<{ enregistrements: Rec[] }>(s.url, '/api/public/v1/collectivites?region=53&limite=1000');
    expect(r53.body.enregistrements).toEqual(colls.filter((c) => c.region === '53'));
    const parts = await expectedRows(OPEN_DATASETS[2]!);
    const pays = String(parts[0]!.pays);
    const rp = await api<{ enregistrements: Rec[] }>(s.url, `/api/public/v1/partenariats?pays=${pays}&limite=1000`);
    expect(rp.body.enregistrements).toEqual(parts.filter((p) => p.pays === pays));
    const fiches = await expectedRows(OPEN_DATASETS[3]!);
    const theme = String((fiches[0]!.thematiques as string[])[0]);
    const rt = await api<{ enregistrements: Rec[] }>(s.url, `/api/public/v1/projets?thematique=${theme}&limite=1000`);
    expect(rt.body.enregistrements).toEqual(fiches.filter((f) => (f.thematiques as string[]).includes(theme)));
    // Every collectivité and every country of a partenariat, whole.
    for (const c of colls) {
      const r = await api<{ collectivite: Rec; partenariats: Rec[] }>(
        s.url,
        `/api/public/v1/collectivites/${String(c.code)}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.collectivite).toEqual(c);
      expect(r.body.partenariats).toEqual(parts.filter((p) => p.collectiviteId === c.id));
      assertNothingPrivate(`collectivité ${String(c.code)}`, JSON.stringify(r.body));
    }
    for (const code of new Set(parts.map((p) => String(p.pays)))) {
      const r = await api<{ partenariats: number }>(s.url, `/api/public/v1/pays/${code}`);
      expect(r.status).toBe(200);
      expect(r.body.partenariats).toBe(parts.filter((p) => p.pays === code).length);
      assertNothingPrivate(`pays ${code}`, JSON.stringify(r.body));
    }
    // The deleted collectivité is not found; errors carry a code and a French message.
    const gone = await api<{ code: string }>(s.url, '/api/public/v1/collectivites/commune:69123');
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('NOT_FOUND');
    const bad = await api<{ code: string }>(s.url, '/api/public/v1/partenariats?limite=1001');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION');
    const badCursor = await api<{ code: string }>(s.url, '/api/public/v1/partenariats?curseur=abc');
    expect(badCursor.status).toBe(400);
  });

  it('shows an edit in the files as soon as it is synced (new data version, new ETag)', async () => {
    const before = await fetch(`${s.url}/atlas/donnees/partenariats.json`);
    const etag = before.headers.get('etag')!;
    await before.arrayBuffer();
    const again = await fetch(`${s.url}/atlas/donnees/partenariats.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const p = await renameSynced('Commune de Kaédi (modifiée)');
    const after = await fetch(`${s.url}/atlas/donnees/partenariats.json`, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.text()).toContain('Commune de Kaédi (modifiée)');
    const csv = await (await fetch(`${s.url}/atlas/donnees/partenariats.csv`)).text();
    expect(csv).toContain('Commune de Kaédi (modifiée)');
    const viaApi = await api<{ partenariats: Rec[] }>(s.url, '/api/public/v1/collectivites/commune:35238');
    expect(viaApi.body.partenariats.find((x) => x.id === p.id)?.nomPartenaire).toBe('Commune de Kaédi (modifiée)');
  });
  it('revalidates the API answers like the pages: an ETag per data version and query, 304, a new one after a sync', async () => {
    const paths = ['/api/public/v1/partenariats?limite=5', '/api/public/v1/collectivites/commune:35238'];
    const first = await Promise.all(paths.map((p) => api(s.url, p)));
    const etags = first.map((r) => r.headers.get('etag')!);
    for (const r of first) {
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe(PAGE_CACHE_CONTROL);
    }
    expect(etags[0]).toMatch(/^W\/"\d+-/);
    // Another query of the same data: another ETag.
    expect(etags[1]).not.toBe(etags[0]);
    expect((await api(s.url, '/api/public/v1/partenariats?limite=6')).headers.get('etag')).not.toBe(etags[0]);
    for (const [i, p] of paths.entries()) {
      const again = await api(s.url, p, { headers: { 'if-none-match': etags[i]! } });
      expect(again.status, p).toBe(304);
      expect(again.headers.get('etag')).toBe(etags[i]);
      expect(again.body).toBeNull();
    }
    // Errors are not cached.
    const gone = await api(s.url, '/api/public/v1/collectivites/commune:69123');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('etag')).toBeNull();
    // An edit synced: a new data version, a new ETag and the new value.
    const p = await renameSynced('Commune de Kaédi (API)');
    const after = await api<{ partenariats: Rec[] }>(s.url, paths[1]!, { headers: { 'if-none-match': etags[1]! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etags[1]);
    expect(after.body.partenariats.find((x) => x.id === p.id)?.nomPartenaire).toBe('Commune de Kaédi (API)');
    const list = await api(s.url, paths[0]!, { headers: { 'if-none-match': etags[0]! } });
    expect(list.status).toBe(200);
    expect(list.headers.get('etag')).not.toBe(etags[0]);
  });
});

describe('open data store', () => {
  it('serves the last files for at most maxStale after a change while the next are built, then waits for them', async () => {
    let now = 1_000_000;
    const revs = s.internals.sync.revs;
    const store = new OpenDataStore(s.internals.db, {
      watermark: () => revs.watermark(),
      maxStaleMs: 30_000,
      now: () => now,
    });
    const change = async () => {
      const [rev] = await revs.reserve(1);
      await sql(
        `UPDATE entree_reference SET sync_rev = $1 WHERE id = (SELECT id FROM entree_reference ORDER BY id LIMIT 1)`,
        [rev],
      );
      return rev!;
    };
    try {
      const first = await store.snapshot();
      const v2 = await change();
      now += 10_000;
      // Within the window, soon after a build: the files of before, and no build yet (edits gather).
      expect((await store.snapshot()).version).toBe(first.version);
      await store.idle();
      expect((await store.snapshot()).version).toBe(first.version);
      // Half a window after the last build: still the files of before at once, the next built behind them.
      now += 6_000;
      expect((await store.snapshot()).version).toBe(first.version);
      await store.idle();
      expect((await store.snapshot()).version).toBe(v2);
      // Past the window since the files were last known current: the request waits for the new ones.
      const v3 = await change();
      now += 31_000;
      expect((await store.snapshot()).version).toBe(v3);
      // A revision handed out but not yet committed (in flight) does not count: the version is the watermark's.
      await revs.track(async (rev) => {
        await sql(
          `UPDATE entree_reference SET sync_rev = $1 WHERE id = (SELECT id FROM entree_reference ORDER BY id LIMIT 1)`,
          [rev],
        );
        now += 31_000;
        expect((await store.snapshot()).version).toBe(v3);
      });
      now += 31_000;
      expect((await store.snapshot()).version).toBeGreaterThan(v3);
    } finally {
      await store.idle();
      store.close();
    }
  });
});

describe('open data API limit', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ seed: 'none', env: { PUBLIC_API_RATE_LIMIT: '3' } });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('answers 429 with a code and a French message past the per-address limit, still open to any origin', async () => {
    const statuses: number[] = [];
    let last: { status: number; body: { code: string; message: string }; headers: Headers } | null = null;
    for (let i = 0; i < 4; i++) {
      last = await api<{ code: string; message: string }>(small.url, '/api/public/v1/collectivites');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.body.code).toBe('RATE_LIMITED');
    expect(last!.body.message).toMatch(/Trop de requêtes/);
    expect(last!.headers.get('retry-after')).toBeTruthy();
    expect(last!.headers.get('access-control-allow-origin')).toBe('*');
  });
});
