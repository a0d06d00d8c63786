// The chaos run (issue 11): devices of two collectivités of one région and an SGAR device make random
// creates, edits and deletes and sync concurrently through a link proxy that delays, throttles, cuts
// connections at random byte offsets both ways and stalls some; devices are killed mid-cycle and
// reopened on their IndexedDB; the server (a child process) is SIGKILLed and restarted on its data.
// Afterwards the link is clean, every device syncs until quiet, and the run is audited: every device
// against the server on whole records, every write, every conflict, every acknowledged change in the
// database exactly once. Seeded: CHAOS_SEED replays a run.
import { openDb } from '../../src-server/db/driver';
import { collectiviteId } from '../../src-shared/sync/ids';
import { MAX_PULL_LIMIT } from '../../src-shared/sync/protocol';
import type { EntityName } from '../../src-shared/registry';
import { ChaosDevice, ResultLog } from './chaos-device';
import { LinkProxy, type LinkBehaviour } from './link-proxy';
import { rng as makeRng, type Rng } from './rng';
import { ServerProcess } from './server-process';

export interface ChaosProfile {
  /**
   * chaos: rounds of edits then concurrent syncs through the poor link, with kills at drawn rounds.
   * kill (issue 12): every device edits and syncs in a loop while the server is SIGKILLed
   * `serverKills` times at random moments and restarted; `rounds` is then unused.
   */
  mode?: 'chaos' | 'kill';
  seed: number;
  rounds: number;
  /** Devices per agent account (two accounts, two collectivités of région 53), plus one SGAR device. */
  devicesPerAgent: number;
  /** Records each agent makes before the devices join, so that first syncs span several pages. */
  initialRecords: number;
  /** Pull page size of every device (small: first syncs of several pages). */
  pageSize: number;
  serverKills: number;
  deviceKills: number;
  maxEditsPerRound: number;
  link: LinkBehaviour;
  /** PostgreSQL admin URL (a fresh database is made under it); null: a PGlite folder. */
  adminDatabaseUrl: string | null;
}

export interface ChaosCounts {
  seed: number;
  cycles: number;
  failedCycles: number;
  cuts: number;
  stalls: number;
  serverKills: number;
  deviceKills: number;
  writes: number;
  acknowledged: number;
  duplicates: number;
  rejected: number;
  /** Records on the server missing on a device, plus writes found nowhere. */
  lost: number;
  /** Changes applied more than once (two outcomes for one change id, or two audit rows for one field). */
  duplicated: number;
  /** Records present on both sides that differ on at least one field. */
  differing: number;
  /** Records on a device the server does not have (and that no rejection explains). */
  extra: number;
  conflicts: number;
  /** Conflicts not accounted for: a conflict id some device was told of but the server lacks, or a device's open conflicts differing from the server's. */
  unaccountedConflicts: number;
  /** Human-readable first differences, to say what broke. */
  details: string[];
}

const REGION = '53';
const CODES = ['commune:35238', 'commune:29019'] as const; // Rennes, Brest (Bretagne, région 53)
const PASSWORD = 'chaos-atlas-mot-de-passe-2026';

const VALUES: Record<string, readonly unknown[]> = {
  'contact.nom': ['Le Gall', 'Morvan', 'Tanguy', 'Guivarc’h'],
  'contact.fonction': ['Maire', 'Adjointe', 'DGS', 'Conseiller'],
  'contact.telephone': [null, '02 99 00 00 01', '02 98 00 00 02'],
  'adhesion.reseauNom': ['Cités Unies France', 'AFCCRE', 'Réseau Bretagne Solidaire'],
  'adhesion.adherent': [true, false],
  'partenariat.nomPartenaire': ['Ville de Thiès', 'Commune de Podor', 'Ville de Kayes'],
  'partenariat.statut': ['active', 'en_sommeil'],
  'ficheProjet.intitule': ['Eau potable', 'Formation des élus', 'Santé maternelle'],
  'avis.avis': ['favorable', 'defavorable', 'reserve'],
  'avis.commentaire': [null, 'Dossier complet.', 'À revoir avec la commune.'],
};

interface Write {
  round: number;
  device: string;
  entity: EntityName;
  record: string;
  field: string;
  value: unknown;
}

function fieldsFor(entity: EntityName, cid: string, r: Rng, parent?: string): Record<string, unknown> {
  switch (entity) {
    case 'contact':
      return {
        collectiviteId: cid,
        categorie: 'elu',
        civilite: 'Mme',
        prenom: 'Anne',
        nom: r.pick(VALUES['contact.nom']!),
        fonction: r.pick(VALUES['contact.fonction']!),
        courriel: `anne.${r.int(1e6)}@mairie.fr`,
        telephone: null,
      };
    case 'adhesion':
      return {
        collectiviteId: cid,
        reseauCode: null,
        reseauNom: r.pick(VALUES['adhesion.reseauNom']!),
        adherent: true,
        utilisePourActions: false,
        depuis: 2010,
      };
    case 'partenariat':
      return {
        collectiviteId: cid,
        nature: 'action_exterieure',
        pays: 'SN',
        nomPartenaire: r.pick(VALUES['partenariat.nomPartenaire']!),
        typePartenaire: 'municipalite',
        jumelage: false,
        dateConvention: null,
        statut: 'active',
        latitude: null,
        longitude: null,
      };
    case 'ficheProjet':
      return {
        collectiviteId: cid,
        partenariatId: parent,
        intitule: r.pick(VALUES['ficheProjet.intitule']!),
        description: 'Forages et formation.',
        thematiques: ['eau'],
        statut: 'en_cours',
        dateDebut: '2024-01-15',
      };
    case 'avis':
      return {
        collectiviteId: cid,
        ficheProjetId: parent,
        avis: r.pick(VALUES['avis.avis']!),
        commentaire: null,
        statutInstruction: 'instruit',
        auteur: 'SGAR Bretagne',
        date: '2025-05-01',
      };
    default:
      throw new Error(`no fields for ${entity}`);
  }
}

/** The fields the run edits, per entity. */
const EDITABLE: Partial<Record<EntityName, string[]>> = {
  contact: ['nom', 'fonction', 'telephone'],
  adhesion: ['reseauNom', 'adherent'],
  partenariat: ['nomPartenaire', 'statut'],
  ficheProjet: ['intitule'],
  avis: ['avis', 'commentaire'],
};

interface Actor {
  device: ChaosDevice;
  role: 'agent' | 'sgar';
  cid: string | null;
}

/** One random local action of a device (nothing when it has nothing to act on). */
async function act(
  a: Actor,
  r: Rng,
  round: number,
  writes: Write[],
  deletes: Set<string>,
  creates: Write[],
): Promise<void> {
  const recs = [...(await a.device.records()).values()];
  const mine = (e: EntityName) => recs.filter((x) => x.entity === e && (a.cid === null || x.collectiviteId === a.cid));
  const note = (entity: EntityName, record: string, field: string, value: unknown) =>
    writes.push({ round, device: a.device.label, entity, record, field, value });
  const roll = r.next();
  if (a.role === 'sgar') {
    // The SGAR writes avis on the région's fiches-projets.
    const avis = mine('avis');
    if (roll < 0.4 || !avis.length) {
      const fiches = mine('ficheProjet');
      if (!fiches.length) return;
      const f = r.pick(fiches);
      const rec = await a.device.repo.create('avis', fieldsFor('avis', String(f.collectiviteId), r, f.id));
      creates.push({ round, device: a.device.label, entity: 'avis', record: rec.id, field: 'avis', value: rec.avis });
      note('avis', rec.id, 'avis', rec.avis);
      return;
    }
    const t = target(r, avis);
    const field = r.pick(EDITABLE.avis!);
    const value = r.pick(VALUES[`avis.${field}`]!);
    await a.device.repo.update('avis', t.id, { [field]: value });
    if (!sameJson(t[field], value)) note('avis', t.id, field, value);
    return;
  }
  const cid = a.cid!;
  if (roll < 0.25) {
    const entity = r.pick<EntityName>(['contact', 'contact', 'adhesion', 'partenariat', 'ficheProjet']);
    let parent: string | undefined;
    if (entity === 'ficheProjet') {
      const ps = mine('partenariat');
      if (!ps.length) return;
      parent = r.pick(ps).id;
    }
    const rec: Record<string, unknown> & { id: string } = await a.device.repo.create(
      entity,
      fieldsFor(entity, cid, r, parent),
    );
    const field = EDITABLE[entity]![0]!;
    creates.push({ round, device: a.device.label, entity, record: rec.id, field, value: rec[field] });
    note(entity, rec.id, field, rec[field]);
  } else if (roll < 0.33) {
    const entity = r.pick<EntityName>(['contact', 'adhesion']);
    const list = mine(entity);
    if (!list.length) return;
    const t = target(r, list);
    await a.device.repo.remove(entity, t.id);
    deletes.add(t.id);
  } else {
    const entity = r.pick<EntityName>(['contact', 'contact', 'adhesion', 'partenariat', 'ficheProjet']);
    const list = mine(entity);
    if (!list.length) return;
    const t = target(r, list);
    const field = r.pick(EDITABLE[entity]!);
    const value = r.pick(VALUES[`${entity}.${field}`]!);
    await a.device.repo.update(entity, t.id, { [field]: value });
    if (!sameJson(t[field], value)) note(entity, t.id, field, value);
  }
}

/** Half the time, one of the first few records: devices then meet on the same fields (conflicts). */
function target<T>(r: Rng, list: readonly T[]): T {
  return r.chance(0.5) ? r.pick(list.slice(0, 4)) : r.pick(list);
}

// Same serialisation (key order counts): not merge.ts's sameValue, which compares values.
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The kill test's middle: each device edits and syncs in a loop; meanwhile the server is SIGKILLed at
 * random moments and restarted on its data, `serverKills` times.
 */
async function killLoop(
  p: ChaosProfile,
  r: Rng,
  actors: Actor[],
  server: ServerProcess,
  counts: ChaosCounts,
  log: (s: string) => void,
  state: { writes: Write[]; creates: Write[]; deletes: Set<string> },
): Promise<void> {
  let stop = false;
  let iteration = 0;
  const loops = actors.map(async (a) => {
    const mine = r.fork();
    while (!stop) {
      const n = mine.int(p.maxEditsPerRound + 1);
      for (let k = 0; k < n; k++) await act(a, mine, iteration, state.writes, state.deletes, state.creates);
      const o = await a.device.engine.syncNow();
      counts.cycles++;
      if (!o.ok) {
        counts.failedCycles++;
        // The server is down: wait a little, as the engine's backoff would (without its minutes).
        await new Promise((res) => setTimeout(res, 100 + mine.int(400)));
      }
    }
  });
  for (let k = 0; k < p.serverKills; k++) {
    iteration = k;
    const after = 200 + r.int(2_500);
    await new Promise((res) => setTimeout(res, after));
    await server.kill();
    log(`kill: ${k + 1}/${p.serverKills}: server SIGKILLed after ${after} ms of traffic`);
    await server.start();
  }
  // Some traffic after the last restart, then the loops end.
  await new Promise((res) => setTimeout(res, 1_000));
  stop = true;
  await Promise.all(loops);
}

export async function runChaos(p: ChaosProfile, say: (s: string) => void = () => undefined): Promise<ChaosCounts> {
  const t0 = Date.now();
  const log = (s: string) => say(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${s}`);
  const r = makeRng(p.seed);
  const accounts = {
    agents: CODES.map((code, i) => ({
      role: 'agent' as const,
      email: `agent.${i}.${p.seed}@chaos.atlas.gouv.fr`,
      password: PASSWORD,
      collectiviteCode: code,
    })),
    sgar: { role: 'sgar' as const, email: `sgar.${p.seed}@chaos.atlas.gouv.fr`, password: PASSWORD, region: REGION },
  };
  const server = await ServerProcess.create({
    users: [...accounts.agents, accounts.sgar],
    adminDatabaseUrl: p.adminDatabaseUrl,
  });
  const proxy = await LinkProxy.start({ target: { port: server.port }, seed: r.int(2 ** 31) });
  const results = new ResultLog();
  const counts: ChaosCounts = {
    seed: p.seed,
    cycles: 0,
    failedCycles: 0,
    cuts: 0,
    stalls: 0,
    serverKills: 0,
    deviceKills: 0,
    writes: 0,
    acknowledged: 0,
    duplicates: 0,
    rejected: 0,
    lost: 0,
    duplicated: 0,
    differing: 0,
    extra: 0,
    conflicts: 0,
    unaccountedConflicts: 0,
    details: [],
  };
  const engineOpts = { pullLimit: p.pageSize, catchUpLimit: p.pageSize };
  const writes: Write[] = [];
  const creates: Write[] = [];
  const deletes = new Set<string>();
  try {
    await server.start();
    log(`chaos: server up (${server.data.databaseUrl ? 'PostgreSQL' : 'PGlite'}), seed ${p.seed}`);
    const cids = CODES.map((c) => collectiviteId(c));
    const actors: Actor[] = [];
    for (const [i, acc] of accounts.agents.entries()) {
      for (let k = 0; k < p.devicesPerAgent; k++)
        actors.push({
          device: new ChaosDevice(proxy.url, acc, `agent${i}-${k}`, results, engineOpts),
          role: 'agent',
          cid: cids[i]!,
        });
    }
    actors.push({
      device: new ChaosDevice(proxy.url, accounts.sgar, 'sgar', results, engineOpts),
      role: 'sgar',
      cid: null,
    });
    for (const a of actors) await a.device.login();

    // Before the others join: each agent's first device fills its collectivité, then edits some of its
    // oldest records, so a later first sync of several pages meets records created early and edited late.
    for (const [i] of accounts.agents.entries()) {
      const a = actors[i * p.devicesPerAgent]!;
      const sync = async () => {
        const o = await a.device.engine.syncNow();
        if (!o.ok) throw o.error;
      };
      await sync();
      for (let n = 0; n < p.initialRecords; n++) {
        const entity =
          n % 10 === 3 ? 'ficheProjet' : r.pick<EntityName>(['contact', 'contact', 'adhesion', 'partenariat']);
        const parents = [...(await a.device.records()).values()].filter((x) => x.entity === 'partenariat');
        if (entity === 'ficheProjet' && !parents.length) continue;
        const rec: Record<string, unknown> & { id: string } = await a.device.repo.create(
          entity,
          fieldsFor(entity, a.cid!, r, parents.length ? r.pick(parents).id : undefined),
        );
        creates.push({
          round: -1,
          device: a.device.label,
          entity,
          record: rec.id,
          field: EDITABLE[entity]![0]!,
          value: rec[EDITABLE[entity]![0]!],
        });
        if (n % 25 === 24) await sync();
      }
      await sync();
      const early = [...(await a.device.records()).values()]
        .filter((x) => x.entity === 'contact')
        .slice(0, Math.ceil(p.initialRecords / 10));
      for (const rec of early) {
        const value = rec.fonction === 'Maire' ? 'Adjointe' : 'Maire';
        await a.device.repo.update('contact', rec.id, { fonction: value });
        writes.push({ round: -1, device: a.device.label, entity: 'contact', record: rec.id, field: 'fonction', value });
      }
      await sync();
    }
    log('chaos: initial data in place');

    proxy.set(p.link);
    if (p.mode === 'kill') await killLoop(p, r, actors, server, counts, log, { writes, creates, deletes });
    else {
      const killServerIn = new Set<number>();
      while (killServerIn.size < Math.min(p.serverKills, p.rounds)) killServerIn.add(r.int(p.rounds));
      const killDeviceIn = new Map<number, number>();
      for (let k = 0; k < p.deviceKills; k++) killDeviceIn.set(r.int(p.rounds), r.int(actors.length));

      for (let round = 0; round < p.rounds; round++) {
        for (const a of actors) {
          const n = r.int(p.maxEditsPerRound + 1);
          for (let k = 0; k < n; k++) await act(a, r, round, writes, deletes, creates);
        }
        // Every device syncs at once; meanwhile the server or a device may be killed.
        // Which cycles a round still waits for, said after 40 s: a round that never ends is a liveness bug to find.
        const waiting = new Set<string>();
        const cycles = actors.map(async (a) => {
          waiting.add(a.device.label);
          const o = await a.device.engine.syncNow();
          waiting.delete(a.device.label);
          counts.cycles++;
          if (!o.ok) counts.failedCycles++;
        });
        const slow = setTimeout(() => log(`chaos: round ${round} still waits for ${[...waiting].join(', ')}`), 40_000);
        const chaos: Promise<void>[] = [];
        if (killServerIn.has(round)) {
          const after = r.int(1_500);
          chaos.push(
            (async () => {
              await new Promise((res) => setTimeout(res, after));
              await server.kill();
              log(`chaos: round ${round}: server SIGKILLed after ${after} ms`);
              await server.start();
            })(),
          );
        }
        const victim = killDeviceIn.get(round);
        if (victim !== undefined) {
          const after = r.int(800);
          chaos.push(
            (async () => {
              await new Promise((res) => setTimeout(res, after));
              actors[victim]!.device.kill();
              log(`chaos: round ${round}: ${actors[victim]!.device.label} killed after ${after} ms`);
            })(),
          );
        }
        await Promise.all([...cycles, ...chaos]);
        clearTimeout(slow);
      }
      log(`chaos: ${p.rounds} rounds done`);
    }
    // Quiet: a clean link, everyone syncs until nothing is pending, then once more to pull the rest.
    proxy.set({
      up: { latencyMs: 0, bytesPerSecond: null, cutProbability: 0 },
      down: { latencyMs: 0, bytesPerSecond: null, cutProbability: 0 },
      stallProbability: 0,
      refuse: false,
    });
    if (!server.running) await server.start();
    for (let pass = 0; pass < 8; pass++) {
      let busy = false;
      for (const a of actors) {
        const o = await a.device.engine.syncNow();
        if (!o.ok) busy = true;
        if (await a.device.db.outbox.count()) busy = true;
      }
      if (!busy && pass >= 1) break;
    }
    for (const a of actors) {
      const o = await a.device.engine.syncNow();
      if (!o.ok) counts.details.push(`${a.device.label}: last sync failed: ${o.error.message}`);
      const pending = await a.device.db.outbox.count();
      if (pending) counts.details.push(`${a.device.label}: ${pending} change(s) still pending`);
    }

    log('chaos: devices quiet, auditing');
    // The server's state: a fresh device per account pulling its whole scope in one page (one page is
    // whole records by construction; the audit refuses to compare if it took more).
    const reference = new Map<string, Awaited<ReturnType<ChaosDevice['records']>>>();
    const serverConflicts = new Map<string, Set<string>>();
    const allServerConflicts = new Set<string>();
    for (const acc of [...accounts.agents, accounts.sgar]) {
      const observer = new ChaosDevice(server.url, acc, `observer ${acc.email}`, new ResultLog(), {
        pullLimit: MAX_PULL_LIMIT,
      });
      await observer.login();
      const o = await observer.engine.syncNow();
      if (!o.ok) throw o.error;
      if (o.report.requests !== 1)
        throw new Error(
          `the reference pull of ${acc.email} took ${o.report.requests} pages: raise MAX_PULL_LIMIT or read the database`,
        );
      reference.set(acc.email, await observer.records());
      const cs = await observer.db.conflicts.toArray();
      serverConflicts.set(acc.email, new Set(cs.filter((c) => !c.resolved).map((c) => c.id)));
      for (const c of cs) allServerConflicts.add(c.id);
    }

    // Whole records, field by field.
    const rejectedRecords = new Set<string>();
    for (const a of actors) for (const rj of await a.device.db.rejected.toArray()) rejectedRecords.add(rj.record);
    for (const a of actors) {
      const ref = reference.get(a.device.account.email)!;
      const mine = await a.device.records();
      for (const [key, s] of ref) {
        const d = mine.get(key);
        if (!d) {
          counts.lost++;
          if (counts.details.length < 20) counts.details.push(`${a.device.label}: missing ${key}`);
          continue;
        }
        if (!sameJson(Object.fromEntries(Object.entries(d).sort()), Object.fromEntries(Object.entries(s).sort()))) {
          counts.differing++;
          if (counts.details.length < 20) {
            const fields = [...new Set([...Object.keys(d), ...Object.keys(s)])].filter((f) => !sameJson(d[f], s[f]));
            // Fields the server has and the device lacks entirely: a partial record (a pull that sent
            // only changed fields of a record the device never had whole).
            const partial = fields.every((f) => !(f in d) && f in s);
            counts.details.push(
              `${a.device.label}: ${key}${partial ? ' is partial,' : ''} differs on ${fields.map((f) => `${f} (device ${JSON.stringify(d[f]) ?? 'absent'}, server ${JSON.stringify(s[f]) ?? 'absent'})`).join(', ')}`,
            );
          }
        }
      }
      for (const key of mine.keys()) {
        if (ref.has(key) || rejectedRecords.has(key.slice(key.indexOf(':') + 1))) continue;
        counts.extra++;
        if (counts.details.length < 20) counts.details.push(`${a.device.label}: has ${key}, the server does not`);
      }
      // Conflicts: a device's open conflicts are the server's open conflicts of its scope.
      const open = new Set((await a.device.db.conflicts.toArray()).filter((c) => !c.resolved).map((c) => c.id));
      const expected = serverConflicts.get(a.device.account.email)!;
      const diff = [...open].filter((c) => !expected.has(c)).length + [...expected].filter((c) => !open.has(c)).length;
      if (diff) {
        counts.unaccountedConflicts += diff;
        counts.details.push(`${a.device.label}: ${diff} open conflict(s) differ from the server's`);
      }
    }
    for (const c of results.conflictIds) {
      if (!allServerConflicts.has(c)) {
        counts.unaccountedConflicts++;
        counts.details.push(`conflict ${c} announced in a result, absent on the server`);
      }
    }
    counts.conflicts = allServerConflicts.size;

    // Writes: each device's last write of a field is on the server, or in a conflict, or refused, or
    // superseded by another device's write of the same field (same round or later), or its record deleted.
    const serverRecords = new Map<string, Record<string, unknown>>();
    for (const ref of reference.values()) for (const [k, v] of ref) serverRecords.set(k.slice(k.indexOf(':') + 1), v);
    const conflictRows = (await Promise.all(actors.map((a) => a.device.db.conflicts.toArray()))).flat();
    const last = new Map<string, Write>();
    for (const w of writes) last.set(`${w.device}|${w.record}|${w.field}`, w);
    for (const w of last.values()) {
      const s = serverRecords.get(w.record);
      const ok =
        (s !== undefined && sameJson(s[w.field], w.value)) ||
        deletes.has(w.record) ||
        rejectedRecords.has(w.record) ||
        writes.some(
          (o) => o.record === w.record && o.field === w.field && o.device !== w.device && o.round >= w.round,
        ) ||
        conflictRows.some((c) => c.record === w.record && (c.field === w.field || c.field === null));
      if (!ok) {
        counts.lost++;
        const history = writes
          .filter((o) => o.record === w.record && o.field === w.field)
          .map((o) => `${o.device}@${o.round}=${JSON.stringify(o.value)}`)
          .join(', ');
        if (counts.details.length < 20)
          counts.details.push(
            `write lost: ${w.entity} ${w.record}.${w.field} = ${JSON.stringify(w.value)} by ${w.device} in round ${w.round}; server has ${JSON.stringify(s?.[w.field])}; writes of that field: ${history}`,
          );
      }
    }
    for (const c of creates) {
      if (!serverRecords.has(c.record) && !deletes.has(c.record) && !rejectedRecords.has(c.record)) {
        counts.lost++;
        if (counts.details.length < 20) counts.details.push(`creation lost: ${c.entity} ${c.record} by ${c.device}`);
      }
    }

    // No change applied twice: one outcome per change id…
    for (const [id, o] of results.outcomes) {
      if (o.size > 1) {
        counts.duplicated++;
        if (counts.details.length < 20) counts.details.push(`change ${id} answered ${[...o].join(' and ')}`);
      }
    }
    // …and in the database: every acknowledged change stored once, one audit row per field it wrote.
    await server.stop();
    const db = await openDb({ databaseUrl: server.data.databaseUrl, dataDir: server.data.dataDir });
    try {
      const stored = new Set(
        (await db.query<{ change_id: string }>('SELECT change_id FROM applied_changes')).map((x) => x.change_id),
      );
      for (const id of results.acknowledged) {
        if (!stored.has(id)) {
          counts.lost++;
          if (counts.details.length < 20) counts.details.push(`acknowledged change ${id} not in applied_changes`);
        }
      }
      const twice = await db.query<{ change_id: string; record_id: string; field: string | null; n: number }>(
        `SELECT change_id, record_id, field, count(*)::int AS n FROM audit_log WHERE change_id IS NOT NULL
         GROUP BY change_id, record_id, field HAVING count(*) > 1`,
      );
      counts.duplicated += twice.length;
      for (const t of twice.slice(0, 5))
        counts.details.push(`change ${t.change_id} wrote ${t.record_id}.${t.field} ${t.n} times`);
    } finally {
      await db.close();
    }

    counts.writes = writes.length + creates.length;
    counts.acknowledged = results.acknowledged.size;
    counts.duplicates = results.duplicates;
    counts.rejected = results.rejected;
    counts.cuts = proxy.stats.cuts;
    counts.stalls = proxy.stats.stalls;
    counts.serverKills = server.kills;
    counts.deviceKills = actors.reduce((n, a) => n + a.device.kills, 0);
    return counts;
  } finally {
    await proxy.close();
    await server.dispose();
  }
}
