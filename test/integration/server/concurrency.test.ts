// Edits racing on one record from many devices at once: the optimistic write (read without locks, one
// conditional statement) must never lose or double an edit; a race falls back to the locked path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice } from '../helpers/client';
import { newId } from '../../../src-shared/sync/ids';
import type { ChangeResult } from '../../../src-shared/sync/protocol';
import { RevAllocator } from '../../../src-server/sync/revs';

let s: TestServer;
let devices: TestDevice[];
let cid: string;

beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
  const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  cid = u.collectiviteId!;
  devices = await Promise.all(Array.from({ length: 6 }, () => new TestDevice(s.url).login(u.email, u.password)));
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('edits racing on one record', () => {
  it('applies every edit exactly once, in revision order, with one receipt and one audit row per field', async () => {
    const record = newId();
    const created = await devices[0]!.sync([
      devices[0]!.change({
        entity: 'contact',
        op: 'create',
        record,
        fields: {
          collectiviteId: cid,
          categorie: 'cadre',
          civilite: 'Mme',
          prenom: 'Anne',
          nom: 'Course',
          fonction: 'Chargée de mission',
          courriel: 'anne.course@mairie.fr',
          telephone: null,
        },
      }),
    ]);
    const base = created.body.results[0]!.rev!;
    const results: ChangeResult[] = [];
    // Every device edits its own field of the same record from the same base, five rounds, all at once.
    const fields = ['prenom', 'nom', 'fonction', 'courriel', 'telephone', 'civilite'] as const;
    const valueOf = (f: (typeof fields)[number], d: number, round: number) =>
      f === 'courriel'
        ? `anne.${round}.${d}@mairie.fr`
        : f === 'telephone'
          ? `02 96 0${round} 00 0${d}`
          : f === 'civilite'
            ? round % 2
              ? 'M.'
              : 'Mme'
            : `${f} ${round}.${d}`;
    const bases = devices.map(() => base);
    for (let round = 1; round <= 5; round++) {
      const answers = await Promise.all(
        devices.map((d, i) =>
          d.sync([
            d.change({
              entity: 'contact',
              op: 'update',
              record,
              fields: { [fields[i]!]: { value: valueOf(fields[i]!, i, round), base: bases[i]! } },
            }),
          ]),
        ),
      );
      answers.forEach((a, i) => {
        expect(a.status).toBe(200);
        const r = a.body.results[0]!;
        results.push(r);
        // each device edits a field nobody else touches: a merge, never a conflict
        expect(['applied', 'merged']).toContain(r.status);
        bases[i] = r.rev!;
      });
    }
    // one receipt per change, each naming the revision its answer gave
    const receipts = await s.internals.db.query<{ change_id: string; result: ChangeResult }>(
      'SELECT change_id, result FROM applied_changes WHERE change_id = ANY($1::uuid[])',
      [results.map((r) => r.id)],
    );
    expect(receipts).toHaveLength(results.length);
    for (const r of receipts) expect(r.result.rev).toBe(results.find((x) => x.id === r.change_id)!.rev);
    // one audit row per edit, each with its own revision, and the revisions all distinct
    const audit = await s.internals.db.query<{ rev: number; field: string; new_value: unknown }>(
      'SELECT rev, field, new_value FROM audit_log WHERE record_id = $1 AND field IS NOT NULL ORDER BY rev',
      [record],
    );
    expect(audit).toHaveLength(results.length);
    expect(new Set(audit.map((a) => a.rev)).size).toBe(results.length);
    // the record holds the last round's value of every field, and the sequence of each device advanced
    const [row] = await s.internals.db.query<Record<string, unknown>>('SELECT * FROM contact WHERE id = $1', [record]);
    fields.forEach((f, i) => expect(row![f]).toBe(valueOf(f, i, 5)));
    const seqs = await s.internals.db.query<{ last_seq: number }>(
      'SELECT last_seq FROM devices WHERE id = ANY($1::uuid[])',
      [devices.map((d) => d.id)],
    );
    for (const d of seqs) expect(d.last_seq).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('answers a retried edit with its first result while other devices write the same record', async () => {
    const [d0, d1] = devices as [TestDevice, TestDevice];
    const record = newId();
    const created = await d0.sync([
      d0.change({
        entity: 'contact',
        op: 'create',
        record,
        fields: {
          collectiviteId: cid,
          categorie: 'elu',
          civilite: 'M.',
          prenom: 'Paul',
          nom: 'Reprise',
          fonction: 'Adjoint',
          courriel: 'paul.reprise@mairie.fr',
          telephone: null,
        },
      }),
    ]);
    const base = created.body.results[0]!.rev!;
    const edit = d0.change({
      entity: 'contact',
      op: 'update',
      record,
      fields: { fonction: { value: 'Premier adjoint', base } },
    });
    const [first] = await Promise.all([
      d0.sync([edit]),
      d1.sync([
        d1.change({
          entity: 'contact',
          op: 'update',
          record,
          fields: { telephone: { value: '02 96 11 22 33', base } },
        }),
      ]),
    ]);
    const again = await d0.sync([edit]);
    expect(again.body.results[0]).toMatchObject({
      id: edit.id,
      status: first.body.results[0]!.status,
      rev: first.body.results[0]!.rev,
      duplicate: true,
    });
    const audit = await s.internals.db.query('SELECT 1 FROM audit_log WHERE change_id = $1', [edit.id]);
    expect(audit).toHaveLength(1);
  }, 60_000);
});

describe('revisions handed out across blocks', () => {
  it('gives every cycle its own revision through block refills, keeps the watermark below those in flight, and reserves above them', async () => {
    const revs = new RevAllocator(s.internals.db);
    await revs.init();
    const before = revs.lastRev;
    // More than two blocks of 500, many at once: the next block is fetched in the background.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const first = revs.track(async (rev) => {
      await held;
      return rev;
    });
    const others = await Promise.all(Array.from({ length: 1_200 }, () => revs.track(async (rev) => rev)));
    const mine = await Promise.race([first, Promise.resolve(null)]);
    expect(mine).toBeNull(); // still in flight
    expect(revs.watermark()).toBeLessThan(Math.min(...others));
    release();
    const all = [await first, ...others];
    expect(new Set(all).size).toBe(all.length);
    expect(Math.min(...all)).toBeGreaterThan(before);
    expect(revs.watermark()).toBe(revs.lastRev);
    // A bulk load after a background refill: its revisions are above everything handed out so far.
    const during = revs.track(async (rev) => rev); // may start a refill
    const reserved = await revs.reserve(10);
    expect(Math.min(...reserved)).toBeGreaterThan(Math.max(...all));
    await during;
    const after = await revs.track(async (rev) => rev);
    expect(after).toBeGreaterThan(Math.max(...reserved));
  }, 60_000);
});
