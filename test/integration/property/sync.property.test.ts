// Property: 3 devices edit, create and delete offline and sync in random orders, with responses lost
// after the server handled the request and requests failing before they leave. Afterwards every device
// equals the server, every edit is on the server or kept in a conflict/rejected record, and no change
// is applied twice. Quick profile in `npm test`; `npm run test:property:long` runs the long one.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOfficialCollectivites } from '../../../src-server/reference/officialCollectivites';
import { stripRevs } from '../../../src-renderer/db/base';
import type { LocalRecord } from '../../../src-renderer/db/database';
import { contactFields } from '../../unit/renderer/fixtures';
import { makeDevice, startLocalServer, type Device, type LocalServer } from '../helpers/devices';
import { deviceCopy, diffCopies, serverCopy } from '../../support/copies';

/** Small pages, so that first syncs and catch-ups span several pages (guarantee 12). */
const PAGE = { pullLimit: 3, catchUpLimit: 3 };

const LONG = process.env.PROPERTY_PROFILE === 'long';
const RUNS = Number(process.env.PROPERTY_RUNS ?? (LONG ? 60 : 6));
const MAX_OPS = LONG ? 60 : 25;
const SEED = Number(process.env.PROPERTY_SEED ?? 20261126);

const VALUES = {
  nom: ['Alpha', 'Beta', 'Gamma', 'Delta'],
  fonction: ['Maire', 'Adjointe', 'Conseiller', 'DGS'],
  telephone: [null, '01 02 03 04 05', '06 07 08 09 10', '02 99 00 00 00'],
} as const;
type Field = keyof typeof VALUES;

type Op =
  | { k: 'create'; d: number; v: number }
  | { k: 'edit'; d: number; pick: number; field: Field; v: number }
  | { k: 'delete'; d: number; pick: number }
  /** An edit the server refuses (an identity field only the DAECT may change). */
  | { k: 'forbidden'; d: number; v: number }
  | { k: 'sync'; d: number; fail: 'none' | 'lose' | 'drop' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('create' as const), d: fc.nat(2), v: fc.nat(3) }), weight: 2 },
  {
    arbitrary: fc.record({
      k: fc.constant('edit' as const),
      d: fc.nat(2),
      pick: fc.nat(30),
      field: fc.constantFrom<Field>('nom', 'fonction', 'telephone'),
      v: fc.nat(3),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ k: fc.constant('delete' as const), d: fc.nat(2), pick: fc.nat(30) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('forbidden' as const), d: fc.nat(2), v: fc.nat(1000) }), weight: 1 },
  {
    arbitrary: fc.record({
      k: fc.constant('sync' as const),
      d: fc.nat(2),
      fail: fc.constantFrom('none' as const, 'lose' as const, 'drop' as const),
    }),
    weight: 3,
  },
);

let server: LocalServer;
let codes: string[];
let run = 0;
/** What the runs exercised, so a passing property is not a vacuous one. */
const totals = { conflicts: 0, duplicates: 0, rejected: 0, lost: 0, records: 0 };

beforeAll(async () => {
  server = await startLocalServer();
  codes = loadOfficialCollectivites()
    .filter((c) => c.type === 'commune')
    .slice(100, 400)
    .map((c) => c.code);
});
afterAll(async () => {
  await server?.close();
});

/** Every result the server sent for each change id: a change applied twice would show two revisions. */
function watchResults(d: Device, seen: Map<string, Set<string>>) {
  d.wire.observe = async (url, res) => {
    if (url.endsWith('/api/v1/sync') && res.ok) {
      const body = (await res.json()) as {
        results?: { id: string; status: string; rev?: number; duplicate?: boolean }[];
      };
      for (const r of body.results ?? []) {
        if (r.duplicate) totals.duplicates++;
        if (r.status === 'conflict') totals.conflicts++;
        if (r.status === 'rejected') totals.rejected++;
        const s = seen.get(r.id) ?? new Set<string>();
        s.add(`${r.status}:${r.rev ?? ''}`);
        seen.set(r.id, s);
      }
    }
  };
}

async function contacts(d: Device): Promise<LocalRecord[]> {
  // As the screens see them: the server revisions a clean row carries may differ between devices.
  return (await d.db.records('contact').toArray()).map((r) => stripRevs(r)).sort((a, b) => a.id.localeCompare(b.id));
}

async function scenario(ops: Op[]) {
  const code = codes[run++ % codes.length]!;
  const user = await server.createUser({ role: 'agent', collectiviteCode: code });
  const collectiviteId = user.collectiviteId!;
  const seen = new Map<string, Set<string>>();
  const devices: Device[] = [];
  for (let i = 0; i < 3; i++) {
    const d = makeDevice(server.url, PAGE);
    watchResults(d, seen);
    await d.session.login({ serverUrl: server.url, email: user.email, password: user.password });
    const first = await d.engine.syncNow();
    expect(first.ok).toBe(true);
    devices.push(d);
  }
  // A few records every device has, so that edits meet.
  for (const nom of ['Alpha', 'Beta', 'Gamma'])
    await devices[0]!.repo.create('contact', contactFields({ collectiviteId, nom }));
  for (const d of devices) expect((await d.engine.syncNow()).ok).toBe(true);
  // What each device wrote, in op order, to check that nothing was lost.
  const writes: { i: number; d: number; record: string; field: Field; value: unknown }[] = [];
  const creates: { d: number; record: string }[] = [];
  const deletes = new Set<string>();
  const forbidden: { d: number; value: string }[] = [];

  for (const [i, op] of ops.entries()) {
    const d = devices[op.d]!;
    if (op.k === 'create') {
      const c = await d.repo.create('contact', contactFields({ collectiviteId, nom: VALUES.nom[op.v] }));
      creates.push({ d: op.d, record: c.id });
      writes.push({ i, d: op.d, record: c.id, field: 'nom', value: VALUES.nom[op.v] });
    } else if (op.k === 'forbidden') {
      const value = `Nom refusé ${op.v}`;
      const current = await d.repo.get('collectivite', collectiviteId);
      await d.repo.update('collectivite', collectiviteId, { nom: value });
      if (current?.nom !== value) forbidden.push({ d: op.d, value });
    } else if (op.k === 'edit' || op.k === 'delete') {
      const list = await contacts(d);
      if (!list.length) continue;
      const target = list[op.pick % list.length]!;
      if (op.k === 'delete') {
        await d.repo.remove('contact', target.id);
        deletes.add(target.id);
      } else {
        const value = VALUES[op.field][op.v];
        await d.repo.update('contact', target.id, { [op.field]: value });
        // Writing the value already there is not an edit: nothing to send, nothing to keep.
        if (target[op.field] !== value) writes.push({ i, d: op.d, record: target.id, field: op.field, value });
      }
    } else {
      if (op.fail === 'lose') {
        d.wire.loseResponses = 1;
        totals.lost++;
      }
      if (op.fail === 'drop') d.wire.dropRequests = 1;
      await d.engine.syncNow();
      d.wire.loseResponses = 0;
      d.wire.dropRequests = 0;
    }
  }

  // Quiesce: everyone syncs until nothing is pending, then once more to pull the others' last changes.
  for (let round = 0; round < 4; round++) {
    for (const d of devices) {
      const out = await d.engine.syncNow();
      if (!out.ok) throw out.error;
    }
  }
  const observer = makeDevice(server.url, PAGE);
  await observer.session.login({ serverUrl: server.url, email: user.email, password: user.password });
  expect((await observer.engine.syncNow()).ok).toBe(true);
  const onServer = await contacts(observer);
  const serverById = new Map(onServer.map((r) => [r.id, r]));
  totals.records += onServer.length;
  const serverConflicts = (await observer.db.conflicts.toArray()).filter((c) => !c.resolved);

  // Whole records: every device and the fresh observer hold exactly the server's records, field by
  // field (records whose creation the server refused stay local, marked rejected).
  const expected = await serverCopy(server.internals.db, { role: 'agent', collectiviteId });
  for (const d of [...devices, observer]) {
    const copy = await deviceCopy(d.db);
    for (const r of await d.db.rejected.toArray())
      if (r.op === 'create' && !expected[r.entity][r.record]) delete copy[r.entity][r.record];
    expect(diffCopies(expected, copy)).toEqual([]);
  }

  for (const d of devices) {
    expect(await d.db.outbox.count()).toBe(0);
    const rejected = await d.db.rejected.toArray();
    const rejectedIds = new Set(rejected.map((r) => r.record));
    const mine = (await contacts(d)).filter((r) => !rejectedIds.has(r.id) || serverById.has(r.id));
    // Every device equals the server (records whose creation the server refused stay local, marked rejected).
    expect(mine).toEqual(onServer);
    // A refused edit leaves the record as the server has it (the proposal waits in `rejected`).
    expect(await d.repo.get('collectivite', collectiviteId)).toEqual(
      await observer.repo.get('collectivite', collectiviteId),
    );
    const conflicts = (await d.db.conflicts.toArray())
      .filter((c) => !c.resolved)
      .map((c) => c.id)
      .sort();
    expect(conflicts).toEqual(serverConflicts.map((c) => c.id).sort());
  }

  // No change applied twice: every answer for one change id names the same outcome and revision.
  for (const [id, outcomes] of seen)
    expect({ id, outcomes: [...outcomes] }).toEqual({ id, outcomes: [...outcomes].slice(0, 1) });

  // Every device's last write of a field is on the server, or kept in a conflict or a rejection, or was
  // superseded by a later write of another device, or its record was deleted.
  const allRejected = (await Promise.all(devices.map((d) => d.db.rejected.toArray()))).flat();
  const lastWrites = new Map<string, (typeof writes)[number]>();
  for (const w of writes) lastWrites.set(`${w.d}|${w.record}|${w.field}`, w);
  for (const w of lastWrites.values()) {
    const s = serverById.get(w.record);
    const ok =
      (s !== undefined && s[w.field] === w.value) ||
      deletes.has(w.record) ||
      writes.some((o) => o.record === w.record && o.field === w.field && o.d !== w.d && o.i > w.i) ||
      serverConflicts.some(
        (c) =>
          c.record === w.record &&
          (c.field === w.field || c.field === null) &&
          (c.proposedValue === w.value || c.serverValue === w.value || c.field === null),
      ) ||
      allRejected.some((r) => r.record === w.record);
    if (!ok) {
      throw new Error(
        `lost write ${JSON.stringify(w)}; server has ${JSON.stringify(s ?? null)}; conflicts ${JSON.stringify(serverConflicts)}; writes ${JSON.stringify(writes)}`,
      );
    }
  }
  // Refused edits are kept, with the server's French message, on the device that made them.
  const officialNom = (await observer.repo.get('collectivite', collectiviteId))!.nom;
  for (const f of forbidden) {
    expect(officialNom).not.toBe(f.value);
    const kept = (await devices[f.d]!.db.rejected.toArray()).filter(
      (r) => r.entity === 'collectivite' && r.proposed?.nom !== undefined,
    );
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((r) => /[a-zé]/i.test(r.message) && r.code.length > 0)).toBe(true);
  }
  for (const c of creates) {
    expect(serverById.has(c.record) || deletes.has(c.record) || allRejected.some((r) => r.record === c.record)).toBe(
      true,
    );
  }
}

describe('sync convergence (property)', () => {
  it(
    `3 devices, random offline edits and sync orders with failures (${RUNS} runs, seed ${SEED})`,
    async () => {
      await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: MAX_OPS }), scenario), {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
      });
      console.log(`property totals: ${JSON.stringify(totals)}`);
      expect(totals.conflicts).toBeGreaterThan(0);
      expect(totals.duplicates).toBeGreaterThan(0);
      expect(totals.records).toBeGreaterThan(0);
      expect(totals.rejected).toBeGreaterThan(0);
    },
    LONG ? 3_600_000 : 120_000,
  );
});
