// Authorisation matrix (issue 12): one table of endpoint × role × own/foreign scope × action, each row
// with the answer expected and the state checked afterwards — where a request or a change is refused,
// the record it aimed at is byte for byte what it was, and no audit row, conflict or approval appeared.
// Own = Saint-Brieuc (commune:22278, région 53); foreign = Lyon (commune:69123, région 84); Rennes
// (commune:35238) is another collectivité of région 53. The matrix size is printed at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice, api } from '../helpers/client';
import { validRecord, type Parents } from '../helpers/fixtures';
import { collectiviteId, newId } from '../../../src-shared/sync/ids';
import { entityDef, type EntityName } from '../../../src-shared/registry';
import type { Change, ChangeResult } from '../../../src-shared/sync/protocol';
import type { MeResponse } from '../../../src-shared/api/auth';
import type { PendingAccount } from '../../../src-shared/api/accounts';
import { signAccess, type AccessClaims } from '../../../src-server/auth/tokens';
import { TABLE_DEFS } from '../../../src-server/sync/tables';
import { serverCopy } from '../../support/copies';

const SECRET = 'secret-de-la-matrice-d-autorisation';
const OWN = collectiviteId('commune:22278');
const FOREIGN = collectiviteId('commune:69123');
const SAME_REGION = collectiviteId('commune:35238');

type Who = 'agent' | 'agentForeign' | 'agentRennes' | 'sgar' | 'sgarForeign' | 'daect';
type TokenKind = 'none' | 'garbage' | 'wrongSecret' | 'expired';

let s: TestServer;
const dev = {} as Record<Who, TestDevice>;
const users = {} as Record<Who, { id: string; email: string }>;
const own = {} as Record<EntityName, { id: string; rev: number }>;
const foreign = {} as Record<EntityName, { id: string; rev: number }>;
const parents = {} as Record<string, Parents>;

beforeAll(async () => {
  s = await startTestServer({ seed: 'none', env: { CNCD_TOKEN_SECRET: SECRET } });
  const mk = async (
    who: Who,
    role: 'agent' | 'sgar' | 'daect',
    opts: { collectiviteCode?: string; region?: string } = {},
  ) => {
    const u = await s.createUser({ role, ...opts });
    users[who] = { id: u.id, email: u.email };
    dev[who] = await new TestDevice(s.url).login(u.email, u.password);
  };
  await mk('agent', 'agent', { collectiviteCode: 'commune:22278' });
  await mk('agentForeign', 'agent', { collectiviteCode: 'commune:69123' });
  await mk('agentRennes', 'agent', { collectiviteCode: 'commune:35238' });
  await mk('sgar', 'sgar', { region: '53' });
  await mk('sgarForeign', 'sgar', { region: '84' });
  await mk('daect', 'daect');
  // One record of each entity in both collectivités, written by the DAECT.
  const d = dev.daect;
  const camp = validRecord('campagne', OWN, {} as Parents);
  const rc = await d.sync([d.change({ entity: 'campagne', op: 'create', record: camp.id, fields: camp.fields })]);
  own.campagne = foreign.campagne = { id: camp.id, rev: rc.body.results[0]!.rev! };
  for (const [cid, into] of [
    [OWN, own],
    [FOREIGN, foreign],
  ] as const) {
    const p: Parents = { partenariatId: '', ficheProjetId: '', declarationApdId: '', campagneId: camp.id };
    for (const e of [
      'contact',
      'adhesion',
      'partenariat',
      'ficheProjet',
      'declarationApd',
      'ligneApd',
      'avis',
      'attestationCampagne',
    ] as const) {
      const rec = validRecord(e, cid, p);
      const r = await d.sync([d.change({ entity: e, op: 'create', record: rec.id, fields: rec.fields })]);
      expect(r.body.results[0]!.status, `${e}: ${JSON.stringify(r.body.results[0])}`).toBe('applied');
      into[e] = { id: rec.id, rev: r.body.results[0]!.rev! };
      if (e === 'partenariat') p.partenariatId = rec.id;
      if (e === 'ficheProjet') p.ficheProjetId = rec.id;
      if (e === 'declarationApd') p.declarationApdId = rec.id;
    }
    parents[cid] = p;
    const col = (
      await s.internals.db.query<{ sync_rev: number }>('SELECT sync_rev FROM collectivite WHERE "id" = $1', [cid])
    )[0]!;
    into.collectivite = { id: cid, rev: col.sync_rev };
  }
}, 120_000);
afterAll(async () => {
  await s?.close();
});

// ---- state snapshots ----
async function rowOf(entity: EntityName, id: string): Promise<string> {
  const r = await s.internals.db.query(`SELECT * FROM ${TABLE_DEFS[entity].table} WHERE "id" = $1`, [id]);
  return JSON.stringify(r[0] ?? null);
}
async function traces(changeId: string) {
  return (
    await s.internals.db.query<{ a: number; c: number }>(
      'SELECT (SELECT count(*) FROM audit_log WHERE change_id = $1)::int AS a, (SELECT count(*) FROM conflicts WHERE change_id = $1)::int AS c',
      [changeId],
    )
  )[0]!;
}
async function writesFingerprint(): Promise<string> {
  return JSON.stringify(
    (
      await s.internals.db
        .query(`SELECT (SELECT count(*) FROM audit_log) AS a, (SELECT count(*) FROM conflicts WHERE resolved) AS r,
    (SELECT count(*) FROM conflicts) AS c, (SELECT count(*) FROM users WHERE approved_at IS NOT NULL) AS u, (SELECT count(*) FROM applied_changes) AS ac`)
    )[0],
  );
}

// ---- rows ----
interface Row {
  name: string;
  run: () => Promise<void>;
  setup?: boolean;
}
const rows: Row[] = [];
const row = (
  endpoint: string,
  who: string,
  scope: string,
  action: string,
  expected: string,
  run: () => Promise<void>,
) => rows.push({ name: `${endpoint} × ${who} × ${scope} × ${action} → ${expected}`, run });

/** A sync write: expected outcome ('applied', 'conflict', 'merged' or a rejection code); a refusal leaves the watched record untouched. */
function syncRow(
  who: Who,
  scope: string,
  action: string,
  expected: string,
  make: () => Omit<Change, 'id' | 'seq'>,
  watch: () => { entity: EntityName; id: string },
) {
  row('POST /api/v1/sync', who, scope, action, expected, async () => {
    const d = dev[who];
    const c = d.change(make());
    const w = watch();
    const before = await rowOf(w.entity, w.id);
    const r = await d.sync([c]);
    expect(r.status).toBe(200);
    const res = r.body.results[0]! as ChangeResult;
    expect(res.status === 'rejected' ? res.code : res.status, JSON.stringify(res)).toBe(expected);
    if (res.status === 'rejected') {
      expect(res.message).toMatch(/[a-zé]/);
      expect(await rowOf(w.entity, w.id)).toBe(before);
      expect(await traces(c.id)).toEqual({ a: 0, c: 0 });
    } else {
      expect(await rowOf(w.entity, w.id)).not.toBe(before);
    }
  });
}

/** A request refused for its token: 401 with a code, nothing written anywhere. */
function tokenOf(kind: TokenKind): string | undefined {
  const claims: AccessClaims = {
    sub: users.daect.id,
    role: 'daect',
    cid: null,
    reg: null,
    dev: dev.daect.id,
    exp: Math.floor(Date.now() / 1000) + 600,
  };
  switch (kind) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'abc.def';
    case 'wrongSecret':
      return signAccess(Buffer.from('un autre secret', 'utf8'), claims);
    case 'expired':
      return signAccess(Buffer.from(SECRET, 'utf8'), { ...claims, exp: Math.floor(Date.now() / 1000) - 10 });
  }
}

// 1. Unauthenticated and forged tokens, on every endpoint that needs one.
for (const kind of ['none', 'garbage', 'wrongSecret', 'expired'] as const) {
  const code = kind === 'none' ? 'UNAUTHENTICATED' : kind === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID';
  const endpoints: [string, () => { path: string; body?: unknown }][] = [
    ['GET /api/v1/me', () => ({ path: '/api/v1/me' })],
    [
      'POST /api/v1/sync (a create)',
      () => {
        const rec = validRecord('contact', OWN, parents[OWN]!);
        return {
          path: '/api/v1/sync',
          body: {
            v: 1,
            cursor: '0',
            changes: [{ id: newId(), seq: 1, entity: 'contact', op: 'create', record: rec.id, fields: rec.fields }],
          },
        };
      },
    ],
    ['GET /api/v1/accounts/pending', () => ({ path: '/api/v1/accounts/pending' })],
    [
      'POST /api/v1/accounts/:id/approve',
      () => ({ path: `/api/v1/accounts/${users.agentRennes.id}/approve`, body: {} }),
    ],
    [
      'POST /api/v1/accounts/:id/refuse',
      () => ({ path: `/api/v1/accounts/${users.agentRennes.id}/refuse`, body: { reason: 'Jeton falsifié' } }),
    ],
    ['GET /api/v1/accounts', () => ({ path: '/api/v1/accounts' })],
    [
      'POST /api/v1/accounts/:id/disable',
      () => ({ path: `/api/v1/accounts/${users.agentRennes.id}/disable`, body: { reason: 'Jeton falsifié' } }),
    ],
    ['POST /api/v1/accounts/:id/enable', () => ({ path: `/api/v1/accounts/${users.agentRennes.id}/enable`, body: {} })],
  ];
  for (const [endpoint, req] of endpoints) {
    row(endpoint, `token ${kind}`, 'any', 'call', `401 ${code}`, async () => {
      const before = await writesFingerprint();
      const { path, body } = req();
      const r = await api(s.url, path, { token: tokenOf(kind), body });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code });
      expect(await writesFingerprint()).toBe(before);
    });
  }
}

// 2. Each role's `me` and pull scope.
const WHO: Who[] = ['agent', 'agentForeign', 'agentRennes', 'sgar', 'sgarForeign', 'daect'];
for (const who of WHO) {
  row('GET /api/v1/me', who, 'own', 'read', '200, own account', async () => {
    const r = await api<MeResponse>(s.url, '/api/v1/me', { token: dev[who].session.accessToken });
    expect(r.status).toBe(200);
    expect(r.body.user.id).toBe(users[who].id);
    expect(r.body.device?.id).toBe(dev[who].id);
  });
}
const SCOPES: Record<Who, string[]> = {
  agent: [OWN],
  agentForeign: [FOREIGN],
  agentRennes: [SAME_REGION],
  sgar: [OWN, SAME_REGION],
  sgarForeign: [FOREIGN],
  daect: [OWN, FOREIGN, SAME_REGION],
};
for (const who of WHO) {
  row('POST /api/v1/sync (pull)', who, 'own', 'read', `only ${who}'s scope`, async () => {
    const fresh = new TestDevice(s.url);
    fresh.session = dev[who].session;
    const pages = await fresh.pullAll();
    const recs = pages.flatMap((p) => p.changes);
    const cids = new Set(
      recs
        // National records (campagnes, reference lists) are everyone's.
        .filter((r) => entityDef(r.entity).scope !== 'national')
        .map((r) => String(r.entity === 'collectivite' ? r.id : r.fields?.collectiviteId)),
    );
    expect([...cids].sort()).toEqual([...SCOPES[who]].sort());
    expect(recs.some((r) => r.entity === 'campagne')).toBe(true);
    expect(recs.some((r) => r.entity === 'entreeReference')).toBe(true);
    const conflictScopes = pages.flatMap((p) => p.conflicts).map((c) => c.record);
    for (const id of conflictScopes) expect(recs.map((r) => r.id)).toContain(id);
  });
}

// 3. An agent writing another collectivité's records: update and delete of each entity there.
const AGENT_ENTITIES = [
  'contact',
  'adhesion',
  'partenariat',
  'ficheProjet',
  'declarationApd',
  'ligneApd',
  'attestationCampagne',
] as const;
const EDIT: Record<string, [string, unknown]> = {
  contact: ['fonction', 'Modifiée'],
  adhesion: ['depuis', 2001],
  partenariat: ['statut', 'en_sommeil'],
  ficheProjet: ['intitule', 'Modifié'],
  declarationApd: ['commentaire', 'Modifié'],
  ligneApd: ['montant', 2500],
  attestationCampagne: ['par', 'Modifié'],
  avis: ['commentaire', 'Modifié'],
  collectivite: ['telephone', '02 96 62 54 00'],
  campagne: ['dateCloture', '2099-12-31'],
};
for (const e of AGENT_ENTITIES) {
  syncRow(
    'agent',
    'foreign',
    `update ${e}`,
    'OUT_OF_SCOPE',
    () => ({
      entity: e,
      op: 'update',
      record: foreign[e].id,
      fields: { [EDIT[e]![0]]: { value: EDIT[e]![1], base: foreign[e].rev } },
    }),
    () => ({ entity: e, id: foreign[e].id }),
  );
  syncRow(
    'agent',
    'foreign',
    `delete ${e}`,
    'OUT_OF_SCOPE',
    () => ({ entity: e, op: 'delete', record: foreign[e].id, base: foreign[e].rev }),
    () => ({ entity: e, id: foreign[e].id }),
  );
}

// 4. Creating under another collectivité (a new id, the collectivité set to Lyon).
const created: Record<string, string> = {};
for (const e of AGENT_ENTITIES) {
  syncRow(
    'agent',
    'foreign',
    `create ${e}`,
    'OUT_OF_SCOPE',
    () => {
      const rec = validRecord(e, FOREIGN, parents[FOREIGN]!);
      created[e] = rec.id;
      return { entity: e, op: 'create', record: rec.id, fields: rec.fields };
    },
    () => ({ entity: e, id: created[e] ?? newId() }),
  );
}

// 5. Moving a record to another collectivité: the key field is read-only, for everyone.
for (const who of ['agent', 'daect'] as const) {
  syncRow(
    who,
    'own → foreign',
    'move partenariat',
    'READ_ONLY_FIELD',
    () => ({
      entity: 'partenariat',
      op: 'update',
      record: own.partenariat.id,
      fields: { collectiviteId: { value: FOREIGN, base: own.partenariat.rev } },
    }),
    () => ({ entity: 'partenariat', id: own.partenariat.id }),
  );
}

// 6. Parents and referents elsewhere.
let fp: string;
syncRow(
  'agent',
  'own, parent foreign',
  'create ficheProjet under a foreign partenariat',
  'OUT_OF_SCOPE',
  () => {
    const rec = validRecord('ficheProjet', OWN, { ...parents[OWN]!, partenariatId: parents[FOREIGN]!.partenariatId });
    fp = rec.id;
    return { entity: 'ficheProjet', op: 'create', record: rec.id, fields: rec.fields };
  },
  () => ({ entity: 'ficheProjet', id: fp }),
);
let la: string;
syncRow(
  'agent',
  'own, parent foreign',
  'create ligneApd under a foreign declarationApd',
  'OUT_OF_SCOPE',
  () => {
    const rec = validRecord('ligneApd', OWN, {
      ...parents[OWN]!,
      declarationApdId: parents[FOREIGN]!.declarationApdId,
    });
    la = rec.id;
    return { entity: 'ligneApd', op: 'create', record: rec.id, fields: rec.fields };
  },
  () => ({ entity: 'ligneApd', id: la }),
);
syncRow(
  'agent',
  'own, parent foreign',
  'update ficheProjet.partenariatId to a foreign one',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'ficheProjet',
    op: 'update',
    record: own.ficheProjet.id,
    fields: { partenariatId: { value: parents[FOREIGN]!.partenariatId, base: own.ficheProjet.rev } },
  }),
  () => ({ entity: 'ficheProjet', id: own.ficheProjet.id }),
);
syncRow(
  'agent',
  'own, referent foreign',
  'update ficheProjet.referentContactId to a foreign contact',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'ficheProjet',
    op: 'update',
    record: own.ficheProjet.id,
    fields: { referentContactId: { value: foreign.contact.id, base: own.ficheProjet.rev } },
  }),
  () => ({ entity: 'ficheProjet', id: own.ficheProjet.id }),
);
let av: string;
syncRow(
  'sgar',
  'own région, parent foreign',
  'create avis on a fiche of another région',
  'OUT_OF_SCOPE',
  () => {
    const rec = validRecord('avis', OWN, { ...parents[OWN]!, ficheProjetId: parents[FOREIGN]!.ficheProjetId });
    av = rec.id;
    return { entity: 'avis', op: 'create', record: rec.id, fields: rec.fields };
  },
  () => ({ entity: 'avis', id: av }),
);

// 7. Natural-key ids: a random id where the key decides it.
let nk: string;
for (const [who, e] of [
  ['agent', 'declarationApd'],
  ['agent', 'attestationCampagne'],
  ['daect', 'campagne'],
] as const) {
  syncRow(
    who,
    'own',
    `create ${e} with an id that is not its key's`,
    'NATURAL_KEY_ID',
    () => {
      const rec = validRecord(e, OWN, parents[OWN]!);
      nk = newId();
      return { entity: e, op: 'create', record: nk, fields: rec.fields };
    },
    () => ({ entity: e, id: nk }),
  );
}

// 8. Identity fields of the collectivité (official register): the DAECT only.
for (const [field, value] of [
  ['nom', 'Saint-Brieuc-sur-Mer'],
  ['code', 'commune:22279'],
  ['type', 'departement'],
  ['departement', '29'],
] as const) {
  syncRow(
    'agent',
    'own',
    `update collectivite.${field}`,
    'READ_ONLY_FIELD',
    () => ({ entity: 'collectivite', op: 'update', record: OWN, fields: { [field]: { value, base: 0 } } }),
    () => ({ entity: 'collectivite', id: OWN }),
  );
}
// The région move (issue 12, item 3): only the DAECT changes collectivite.region; every record of the
// collectivité follows it, leaves the old région's SGAR (told `left`) and reaches the new one's whole.
// Quimper (commune:29232, région 53) is moved to région 84, so the rows above keep their scopes.
const QUIMPER = collectiviteId('commune:29232');
const moved = { contact: '', partenariat: '', rev: 0, sgarCursor: '0' };
syncRow(
  'agent',
  'own',
  'update collectivite.region',
  'READ_ONLY_FIELD',
  () => ({
    entity: 'collectivite',
    op: 'update',
    record: OWN,
    fields: { region: { value: '84', base: own.collectivite.rev } },
  }),
  () => ({ entity: 'collectivite', id: OWN }),
);
syncRow(
  'sgar',
  'own région',
  'update collectivite.region',
  'FORBIDDEN',
  () => ({
    entity: 'collectivite',
    op: 'update',
    record: OWN,
    fields: { region: { value: '84', base: own.collectivite.rev } },
  }),
  () => ({ entity: 'collectivite', id: OWN }),
);
syncRow(
  'sgarForeign',
  'foreign (région 53)',
  'update collectivite.region (pull Quimper into 84)',
  'FORBIDDEN',
  () => ({ entity: 'collectivite', op: 'update', record: QUIMPER, fields: { region: { value: '84', base: 0 } } }),
  () => ({ entity: 'collectivite', id: QUIMPER }),
);
row(
  'POST /api/v1/sync',
  'daect + sgar',
  'région 53',
  'set up: Quimper with a contact and a partenariat, pulled by the SGAR of 53',
  'in scope',
  async () => {
    await s.createUser({ role: 'agent', collectiviteCode: 'commune:29232' }); // Quimper's collectivité record
    const d = dev.daect;
    const contact = validRecord('contact', QUIMPER, {} as Parents);
    const part = validRecord('partenariat', QUIMPER, {} as Parents);
    const r = await d.sync([
      d.change({ entity: 'contact', op: 'create', record: contact.id, fields: contact.fields }),
      d.change({ entity: 'partenariat', op: 'create', record: part.id, fields: part.fields }),
    ]);
    expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
    moved.contact = contact.id;
    moved.partenariat = part.id;
    moved.rev = (
      await s.internals.db.query<{ sync_rev: number }>('SELECT sync_rev FROM collectivite WHERE "id" = $1', [QUIMPER])
    )[0]!.sync_rev;
    const sg = new TestDevice(s.url);
    sg.session = dev.sgar.session;
    const recs = (await sg.pullAll()).flatMap((p) => p.changes);
    expect(recs.map((x) => x.id)).toEqual(expect.arrayContaining([QUIMPER, contact.id, part.id]));
    moved.sgarCursor = sg.cursor;
  },
);
rows[rows.length - 1]!.setup = true;
syncRow(
  'daect',
  'région 53 → 84',
  'move collectivite Quimper to région 84',
  'applied',
  () => ({
    entity: 'collectivite',
    op: 'update',
    record: QUIMPER,
    fields: { region: { value: '84', base: moved.rev } },
  }),
  () => ({ entity: 'collectivite', id: QUIMPER }),
);
row(
  'POST /api/v1/sync (pull)',
  'sgar',
  'région 53 after the move',
  'read',
  "Quimper's records leave: told `left`, none live in a fresh pull",
  async () => {
    const sg = new TestDevice(s.url);
    sg.session = dev.sgar.session;
    sg.cursor = moved.sgarCursor;
    const inc = (await sg.pullAll()).flatMap((p) => p.changes);
    for (const id of [QUIMPER, moved.contact, moved.partenariat]) {
      expect(
        inc.find((x) => x.id === id),
        id,
      ).toMatchObject({ deleted: true, left: true });
    }
    const fresh = new TestDevice(s.url);
    fresh.session = dev.sgar.session;
    const all = (await fresh.pullAll()).flatMap((p) => p.changes);
    expect(all.filter((x) => [QUIMPER, moved.contact, moved.partenariat].includes(x.id) && !x.deleted)).toEqual([]);
    expect(all.some((x) => x.id === OWN)).toBe(true);
  },
);
row(
  'POST /api/v1/sync (pull)',
  'sgarForeign',
  'région 84 after the move',
  'read',
  "Quimper's records arrive whole",
  async () => {
    const sg = new TestDevice(s.url);
    sg.session = dev.sgarForeign.session;
    sg.cursor = dev.sgarForeign.cursor;
    const inc = (await sg.pullAll()).flatMap((p) => p.changes);
    const server = await serverCopy(s.internals.db, { role: 'sgar', region: '84' });
    for (const [entity, id] of [
      ['collectivite', QUIMPER],
      ['contact', moved.contact],
      ['partenariat', moved.partenariat],
    ] as const) {
      const got = inc.find((x) => x.id === id);
      expect(got?.deleted, id).toBeFalsy();
      const whole = server[entity][id]!;
      for (const [f, v] of Object.entries(whole)) {
        if (f === 'id' || v === null) continue;
        expect(got?.fields?.[f], `${entity}.${f}`).toEqual(v);
      }
    }
    expect(server.contact[moved.contact]).toBeDefined();
    expect(Object.keys((await serverCopy(s.internals.db, { role: 'sgar', region: '53' })).contact)).not.toContain(
      moved.contact,
    );
  },
);

// 9. Avis: SGAR and DAECT only, in their région.
let avis2: string;
const avisRow = (who: Who, cid: string, expected: string) =>
  syncRow(
    who,
    cid === OWN ? 'own (région 53)' : 'foreign (région 84)',
    'create avis',
    expected,
    () => {
      const rec = validRecord('avis', cid, parents[cid]!);
      avis2 = rec.id;
      return { entity: 'avis', op: 'create', record: rec.id, fields: rec.fields };
    },
    () => ({ entity: 'avis', id: avis2 }),
  );
avisRow('agent', OWN, 'FORBIDDEN');
avisRow('sgar', OWN, 'applied');
avisRow('sgar', FOREIGN, 'OUT_OF_SCOPE');
avisRow('daect', FOREIGN, 'applied');
syncRow(
  'agent',
  'own',
  'update avis',
  'FORBIDDEN',
  () => ({
    entity: 'avis',
    op: 'update',
    record: own.avis.id,
    fields: { commentaire: { value: 'Par un agent', base: own.avis.rev } },
  }),
  () => ({ entity: 'avis', id: own.avis.id }),
);

// 10. Campagnes: the DAECT only.
let camp: string;
for (const [who, expected] of [
  ['agent', 'FORBIDDEN'],
  ['sgar', 'FORBIDDEN'],
  ['daect', 'applied'],
] as const) {
  syncRow(
    who,
    'national',
    'create campagne',
    expected,
    () => {
      const rec = validRecord('campagne', OWN, {} as Parents);
      camp = rec.id;
      return { entity: 'campagne', op: 'create', record: rec.id, fields: rec.fields };
    },
    () => ({ entity: 'campagne', id: camp }),
  );
}
syncRow(
  'agent',
  'national',
  'update campagne',
  'FORBIDDEN',
  () => ({
    entity: 'campagne',
    op: 'update',
    record: own.campagne.id,
    fields: { dateCloture: { value: '2099-12-31', base: own.campagne.rev } },
  }),
  () => ({ entity: 'campagne', id: own.campagne.id }),
);

// 11. Collectivité writes.
syncRow(
  'agent',
  'own',
  'update collectivite.telephone',
  'applied',
  () => ({
    entity: 'collectivite',
    op: 'update',
    record: OWN,
    fields: { telephone: { value: '02 96 62 54 00', base: own.collectivite.rev } },
  }),
  () => ({ entity: 'collectivite', id: OWN }),
);
syncRow(
  'agent',
  'foreign',
  'update collectivite.telephone',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'collectivite',
    op: 'update',
    record: FOREIGN,
    fields: { telephone: { value: '04 72 10 30 30', base: foreign.collectivite.rev } },
  }),
  () => ({ entity: 'collectivite', id: FOREIGN }),
);
syncRow(
  'sgar',
  'own région',
  'update collectivite.telephone',
  'FORBIDDEN',
  () => ({
    entity: 'collectivite',
    op: 'update',
    record: OWN,
    fields: { telephone: { value: '02 00 00 00 00', base: 0 } },
  }),
  () => ({ entity: 'collectivite', id: OWN }),
);
syncRow(
  'agent',
  'own',
  'delete collectivite',
  'NOT_DELETABLE',
  () => ({ entity: 'collectivite', op: 'delete', record: OWN, base: 0 }),
  () => ({ entity: 'collectivite', id: OWN }),
);
const brest = collectiviteId('commune:29019');
syncRow(
  'agent',
  'foreign',
  'create collectivite (Brest)',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'collectivite',
    op: 'create',
    record: brest,
    fields: { code: 'commune:29019', nom: 'Brest', type: 'commune', departement: '29', region: '53' },
  }),
  () => ({ entity: 'collectivite', id: brest }),
);

// 12. Restoring a foreign deleted record, and re-creating it under its id.
const deleted = { partenariat: '', declarationApd: '', rev: 0, conflict: '' };
row(
  'POST /api/v1/sync',
  'daect + agentForeign',
  'foreign',
  'set up: a deleted partenariat with an edit/delete conflict',
  'conflict',
  async () => {
    const d = dev.daect;
    const p = validRecord('partenariat', FOREIGN, parents[FOREIGN]!);
    const made = await d.sync([d.change({ entity: 'partenariat', op: 'create', record: p.id, fields: p.fields })]);
    const rev = made.body.results[0]!.rev!;
    await d.sync([d.change({ entity: 'partenariat', op: 'delete', record: p.id, base: rev })]);
    const f = dev.agentForeign;
    const edit = await f.sync([
      f.change({
        entity: 'partenariat',
        op: 'update',
        record: p.id,
        fields: { statut: { value: 'terminee', base: rev } },
      }),
    ]);
    expect(edit.body.results[0]!.status).toBe('conflict');
    Object.assign(deleted, { partenariat: p.id, rev, conflict: edit.body.results[0]!.conflicts![0]! });
  },
);
rows[rows.length - 1]!.setup = true;
syncRow(
  'agent',
  'foreign',
  'restore a deleted partenariat (update resolving its conflict)',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'partenariat',
    op: 'update',
    record: deleted.partenariat,
    fields: { statut: { value: 'active', base: deleted.rev } },
    resolves: [deleted.conflict],
  }),
  () => ({ entity: 'partenariat', id: deleted.partenariat }),
);
syncRow(
  'agent',
  'foreign',
  're-create a deleted partenariat under its id',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'partenariat',
    op: 'create',
    record: deleted.partenariat,
    fields: validRecord('partenariat', FOREIGN, parents[FOREIGN]!).fields,
  }),
  () => ({ entity: 'partenariat', id: deleted.partenariat }),
);

// 13. Resolving a foreign conflict: named in an own change, or on the foreign record itself.
row(
  'POST /api/v1/sync',
  'agent',
  'foreign',
  'resolve a foreign conflict from an own record',
  'applied, conflict still open',
  async () => {
    const d = dev.agent;
    const c = d.change({
      entity: 'contact',
      op: 'update',
      record: own.contact.id,
      fields: { fonction: { value: 'Maire adjointe', base: own.contact.rev } },
      resolves: [deleted.conflict],
    });
    const r = await d.sync([c]);
    expect(r.body.results[0]!.status).toBe('applied');
    const open = await s.internals.db.query<{ resolved: boolean }>('SELECT resolved FROM conflicts WHERE id = $1', [
      deleted.conflict,
    ]);
    expect(open[0]!.resolved).toBe(false);
  },
);
syncRow(
  'agent',
  'foreign',
  'delete a foreign record resolving its conflict',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'partenariat',
    op: 'delete',
    record: deleted.partenariat,
    base: deleted.rev,
    resolves: [deleted.conflict],
  }),
  () => ({ entity: 'partenariat', id: deleted.partenariat }),
);

// 14. Reusing another user's change id or device id.
row(
  'POST /api/v1/sync',
  'agent',
  'foreign',
  "reuse agentForeign's change id",
  'SEQ_REPLAY, nothing written',
  async () => {
    const f = dev.agentForeign;
    const theirs = f.change({
      entity: 'contact',
      op: 'update',
      record: foreign.contact.id,
      fields: { prenom: { value: 'Jeanne-Marie', base: foreign.contact.rev } },
    });
    expect((await f.sync([theirs])).body.results[0]!.status).toMatch(/applied|merged/);
    const before = await rowOf('contact', own.contact.id);
    const d = dev.agent;
    const mine = {
      ...d.change({
        entity: 'contact',
        op: 'update',
        record: own.contact.id,
        fields: { prenom: { value: 'Volé', base: 0 } },
      }),
      id: theirs.id,
    } as Change;
    const r = await d.sync([mine]);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', code: 'SEQ_REPLAY' });
    expect(await rowOf('contact', own.contact.id)).toBe(before);
  },
);
row(
  'POST /api/v1/auth/login + sync',
  'agent',
  'foreign',
  "log in with agentForeign's device id",
  'a device of its own, the other untouched',
  async () => {
    const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
    const twin = new TestDevice(s.url);
    (twin as { id: string }).id = dev.agentForeign.id;
    await twin.login(u.email, u.password);
    const theirs = await s.internals.db.query(
      'SELECT user_id, name, public_key, last_seq FROM devices WHERE id = $1 AND user_id = $2',
      [dev.agentForeign.id, users.agentForeign.id],
    );
    const r = await twin.sync([
      twin.change({
        entity: 'contact',
        op: 'update',
        record: own.contact.id,
        fields: { telephone: { value: '02 96 00 00 01', base: 0 } },
      }),
    ]);
    expect(r.status).toBe(200);
    expect(
      await s.internals.db.query(
        'SELECT user_id, name, public_key, last_seq FROM devices WHERE id = $1 AND user_id = $2',
        [dev.agentForeign.id, users.agentForeign.id],
      ),
    ).toEqual(theirs);
    // and agentForeign's device still syncs in its own sequence
    const f = dev.agentForeign;
    expect(
      (
        await f.sync([
          f.change({
            entity: 'contact',
            op: 'update',
            record: foreign.contact.id,
            fields: { telephone: { value: '04 00 00 00 02', base: 0 } },
          }),
        ])
      ).body.results[0]!.status,
    ).not.toBe('rejected');
  },
);
row(
  'POST /api/v1/sync',
  'agent',
  'foreign',
  "a token naming agentForeign's device (forged)",
  '401 TOKEN_INVALID',
  async () => {
    const claims: AccessClaims = {
      sub: users.agent.id,
      role: 'agent',
      cid: OWN,
      reg: '53',
      dev: dev.agentForeign.id,
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const before = await writesFingerprint();
    const r = await api(s.url, '/api/v1/sync', {
      token: signAccess(Buffer.from('pas le secret', 'utf8'), claims),
      body: { v: 1, cursor: '0', changes: [] },
    });
    expect(r.status).toBe(401);
    expect(await writesFingerprint()).toBe(before);
  },
);

// 15. SGAR on another région.
syncRow(
  'sgar',
  'foreign (région 84)',
  'update avis',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'avis',
    op: 'update',
    record: foreign.avis.id,
    fields: { commentaire: { value: 'Hors région', base: foreign.avis.rev } },
  }),
  () => ({ entity: 'avis', id: foreign.avis.id }),
);
syncRow(
  'sgar',
  'foreign (région 84)',
  'delete avis',
  'OUT_OF_SCOPE',
  () => ({ entity: 'avis', op: 'delete', record: foreign.avis.id, base: foreign.avis.rev }),
  () => ({ entity: 'avis', id: foreign.avis.id }),
);
syncRow(
  'sgarForeign',
  'foreign (région 53)',
  'update avis',
  'OUT_OF_SCOPE',
  () => ({
    entity: 'avis',
    op: 'update',
    record: own.avis.id,
    fields: { commentaire: { value: 'Hors région', base: own.avis.rev } },
  }),
  () => ({ entity: 'avis', id: own.avis.id }),
);

// 16. Approvals across collectivités and régions: pending accounts in Saint-Brieuc, Rennes and Lyon.
type PendingKey = 'sb' | 'rennes' | 'lyon' | 'sgar';
/** Four accounts awaiting approval (Saint-Brieuc, Rennes, Lyon, an SGAR of Bretagne), their ids into `ids`. */
async function createPendingAccounts(ids: Record<PendingKey, string>): Promise<void> {
  for (const [k, role, opts] of [
    ['sb', 'agent', { collectiviteCode: 'commune:22278' }],
    ['rennes', 'agent', { collectiviteCode: 'commune:35238' }],
    ['lyon', 'agent', { collectiviteCode: 'commune:69123' }],
    ['sgar', 'sgar', { region: '53' }],
  ] as const) {
    const u = await s.createUser({ role, ...opts });
    await s.internals.db.query('UPDATE users SET approved_at = NULL WHERE id = $1', [u.id]);
    ids[k] = u.id;
  }
}
const pendingIds = {} as Record<PendingKey, string>;
row('(accounts)', 'server', 'all', 'four pending accounts', 'created', () => createPendingAccounts(pendingIds));
rows[rows.length - 1]!.setup = true;
const PENDING_SEEN: Record<Who, (keyof typeof pendingIds)[]> = {
  agent: ['sb'],
  agentForeign: ['lyon'],
  agentRennes: ['rennes'],
  sgar: ['sb', 'rennes'],
  sgarForeign: ['lyon'],
  daect: ['sb', 'rennes', 'lyon', 'sgar'],
};
for (const who of ['agent', 'sgar', 'daect'] as const) {
  row('GET /api/v1/accounts/pending', who, 'own', 'list', `only ${PENDING_SEEN[who].join(', ')}`, async () => {
    const r = await api<{ accounts: PendingAccount[] }>(s.url, '/api/v1/accounts/pending', {
      token: dev[who].session.accessToken,
    });
    expect(r.status).toBe(200);
    const mine = Object.values(pendingIds);
    expect(
      r.body.accounts
        .map((a) => a.id)
        .filter((id) => mine.includes(id))
        .sort(),
    ).toEqual(PENDING_SEEN[who].map((k) => pendingIds[k]).sort());
  });
}
// Who may decide on which pending account: approvals and refusals follow the same scope rule.
const DECISIONS: [Who, PendingKey, number][] = [
  ['agent', 'rennes', 404],
  ['agent', 'lyon', 404],
  ['agent', 'sgar', 404],
  ['agentForeign', 'sb', 404],
  ['agentRennes', 'sb', 404],
  ['sgar', 'lyon', 404],
  ['sgar', 'sgar', 404],
  ['sgarForeign', 'sb', 404],
  ['sgarForeign', 'rennes', 404],
  ['agent', 'sb', 200],
  ['sgar', 'rennes', 200],
  ['sgarForeign', 'lyon', 200],
  ['daect', 'sgar', 200],
];
const APPROVALS = DECISIONS;
for (const [who, target, status] of APPROVALS) {
  row(
    'POST /api/v1/accounts/:id/approve',
    who,
    PENDING_SEEN[who].includes(target) ? 'own' : 'foreign',
    `approve ${target}`,
    String(status),
    async () => {
      const id = pendingIds[target];
      const r = await api(s.url, `/api/v1/accounts/${id}/approve`, { token: dev[who].session.accessToken, body: {} });
      expect(r.status).toBe(status);
      const approved = (
        await s.internals.db.query<{ approved_by: string | null }>('SELECT approved_by FROM users WHERE id = $1', [id])
      )[0]!;
      expect(approved.approved_by).toBe(status === 200 ? users[who].id : null);
    },
  );
}

// 16b. Refusals: the same people as approvals (same scope rule, 404 elsewhere), on four more pending
// accounts; a request is decided once (a second refusal, or an approval after it, is a 409).
const refuseIds = {} as Record<PendingKey, string>;
row('(accounts)', 'server', 'all', 'four more pending accounts', 'created', () => createPendingAccounts(refuseIds));
rows[rows.length - 1]!.setup = true;
const refusedBy = async (id: string) =>
  (await s.internals.db.query<{ by: string | null }>('SELECT refused_by AS by FROM users WHERE id = $1', [id]))[0]!.by;
const REFUSALS: [Who, PendingKey, number][] = [...DECISIONS, ['daect', 'sb', 409], ['sgar', 'rennes', 409]];
for (const [who, target, status] of REFUSALS) {
  row(
    'POST /api/v1/accounts/:id/refuse',
    who,
    PENDING_SEEN[who].includes(target) ? 'own' : 'foreign',
    `${status === 409 ? 'refuse again' : 'refuse'} ${target}`,
    String(status),
    async () => {
      const id = refuseIds[target];
      const was = await refusedBy(id);
      const before = await writesFingerprint();
      const r = await api(s.url, `/api/v1/accounts/${id}/refuse`, {
        token: dev[who].session.accessToken,
        body: { reason: 'Demande non reconnue par la collectivité' },
      });
      expect(r.status).toBe(status);
      expect(await refusedBy(id)).toBe(status === 200 ? users[who].id : was);
      if (status !== 200) expect(await writesFingerprint()).toBe(before);
    },
  );
}
row('POST /api/v1/accounts/:id/approve', 'daect', 'own', 'approve a refused request', '409', async () => {
  const before = await writesFingerprint();
  const r = await api(s.url, `/api/v1/accounts/${refuseIds.lyon}/approve`, {
    token: dev.daect.session.accessToken,
    body: {},
  });
  expect(r.status).toBe(409);
  expect(r.body).toMatchObject({ code: 'ACCOUNT_REFUSED' });
  expect(await writesFingerprint()).toBe(before);
});
row('POST /api/v1/accounts/:id/refuse', 'sgar', 'own', 'refuse an approved account', '409', async () => {
  const before = await writesFingerprint();
  const r = await api(s.url, `/api/v1/accounts/${pendingIds.rennes}/refuse`, {
    token: dev.sgar.session.accessToken,
    body: { reason: 'Trop tard' },
  });
  expect(r.status).toBe(409);
  expect(r.body).toMatchObject({ code: 'ACCOUNT_APPROVED' });
  expect(await writesFingerprint()).toBe(before);
});

// 17. Account management: the DAECT (every account) and the SGAR (the agents of its région) disable and
// re-enable; the SGAR lists the SGAR of its région too (without managing them); nobody disables their own
// account; an agent manages no one. Targets are
// accounts made for this, so the ones that run the matrix keep their sessions.
const targets = {} as Record<'sb' | 'lyon' | 'sgar', string>;
row('(accounts)', 'server', 'all', 'three approved target accounts', 'created', async () => {
  targets.sb = (await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' })).id;
  targets.lyon = (await s.createUser({ role: 'agent', collectiviteCode: 'commune:69123' })).id;
  targets.sgar = (await s.createUser({ role: 'sgar', region: '53' })).id;
});
rows[rows.length - 1]!.setup = true;
const disabledOf = async (id: string) =>
  (await s.internals.db.query<{ d: boolean }>('SELECT disabled_at IS NOT NULL AS d FROM users WHERE id = $1', [id]))[0]!
    .d;
const LISTS: [Who, number, (keyof typeof targets)[], (keyof typeof targets)[]][] = [
  ['agent', 403, [], []],
  ['sgar', 200, ['sb', 'sgar'], ['lyon']],
  ['sgarForeign', 200, ['lyon'], ['sb', 'sgar']],
  ['daect', 200, ['sb', 'lyon', 'sgar'], []],
];
for (const [who, status, sees, hidden] of LISTS) {
  row(
    'GET /api/v1/accounts',
    who,
    'own',
    'list',
    status === 200 ? `200, only ${sees.join(', ')}` : String(status),
    async () => {
      const r = await api<{ accounts: { id: string }[] }>(s.url, '/api/v1/accounts', {
        token: dev[who].session.accessToken,
      });
      expect(r.status).toBe(status);
      if (status !== 200) return;
      const ids = r.body.accounts.map((a) => a.id);
      for (const k of sees) expect(ids).toContain(targets[k]);
      for (const k of hidden) expect(ids).not.toContain(targets[k]);
    },
  );
}
const MANAGE: [Who, keyof typeof targets | 'self', number][] = [
  ['agent', 'sb', 403],
  ['sgar', 'lyon', 404],
  ['sgar', 'sgar', 404],
  ['sgarForeign', 'sb', 404],
  ['daect', 'self', 409],
  ['sgar', 'self', 404],
  ['sgar', 'sb', 200],
  ['daect', 'lyon', 200],
  ['daect', 'sgar', 200],
];
for (const [who, target, status] of MANAGE) {
  row(
    'POST /api/v1/accounts/:id/disable',
    who,
    status === 200 ? 'own' : target === 'self' ? 'self' : 'foreign',
    `disable ${target}`,
    String(status),
    async () => {
      const id = target === 'self' ? users[who].id : targets[target];
      const was = await disabledOf(id);
      const before = await writesFingerprint();
      const r = await api(s.url, `/api/v1/accounts/${id}/disable`, {
        token: dev[who].session.accessToken,
        body: { reason: 'Départ de la collectivité' },
      });
      expect(r.status).toBe(status);
      expect(await disabledOf(id)).toBe(status === 200 ? true : was);
      if (status !== 200) expect(await writesFingerprint()).toBe(before);
    },
  );
}
for (const [who, target, status] of [
  ['agent', 'sb', 403],
  ['sgarForeign', 'sb', 404],
  ['sgar', 'lyon', 404],
  ['sgar', 'sb', 200],
  ['daect', 'lyon', 200],
] as const) {
  row(
    'POST /api/v1/accounts/:id/enable',
    who,
    status === 200 ? 'own' : 'foreign',
    `enable ${target}`,
    String(status),
    async () => {
      const id = targets[target];
      const was = await disabledOf(id);
      const r = await api(s.url, `/api/v1/accounts/${id}/enable`, { token: dev[who].session.accessToken, body: {} });
      expect(r.status).toBe(status);
      expect(await disabledOf(id)).toBe(status === 200 ? false : was);
    },
  );
}

const cases = rows.filter((r) => !r.setup).length;
describe(`authorisation matrix (${cases} cases)`, () => {
  rows.forEach((r, i) => it(`${String(i + 1).padStart(3, '0')} ${r.setup ? '(set up) ' : ''}${r.name}`, r.run));
  it('prints its size: at least the 96 cases of the audit', () => {
    console.log(
      `authorisation matrix: ${cases} cases (endpoint × role × own/foreign scope × action), ${rows.length - cases} set-up steps`,
    );
    expect(cases).toBeGreaterThanOrEqual(96);
  });
});
