// Issue 14, item 2, on the device alone: a delete held for its undo is not frozen before its time
// (nor anything after it), its end is known to the engine, and « Synchroniser maintenant » releases it.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AtlasDb } from '../../../src-renderer/db/database';
import { createRepository } from '../../../src-renderer/db/repository';
import { applyResponse, freeze, hasSendable, nextHoldEnd, releaseHolds } from '../../../src-renderer/sync/apply';
import { contactFields, freshDb } from './fixtures';

let db: AtlasDb;
let repo: ReturnType<typeof createRepository>;
beforeEach(() => {
  db = freshDb();
  repo = createRepository(db);
});

/** A contact the server has (created, frozen, acknowledged). */
async function synced(nom: string): Promise<string> {
  const c = await repo.create('contact', contactFields({ nom }));
  const f = await freeze(db);
  await applyResponse(db, {
    v: 1,
    results: f.changes.map((ch, i) => ({ id: ch.id, status: 'applied' as const, rev: 100 + i })),
    changes: [],
    conflicts: [],
    cursor: '200',
    more: false,
    serverTime: new Date().toISOString(),
  });
  return c.id;
}

describe('a delete held for its undo', () => {
  it('is not frozen before its time, nor what follows it; the engine knows when it ends', async () => {
    const a = await synced('Anne');
    const b = await synced('Bruno');
    const before = Date.now();
    await repo.remove('contact', a, { holdMs: 10_000 });
    await repo.update('contact', b, { fonction: 'Adjointe' });
    expect(await hasSendable(db)).toBe(false);
    const now = await freeze(db);
    expect(now.changes).toEqual([]);
    expect(now.heldUntil).toBeGreaterThanOrEqual(before + 10_000);
    expect(await nextHoldEnd(db)).toBe(now.heldUntil);
    // Still undoable: not frozen.
    expect(await repo.undoRemove('contact', a)).toBe(true);
    expect(await nextHoldEnd(db)).toBeNull();
  });

  it('goes once its time is over, in outbox order', async () => {
    const a = await synced('Anne');
    await repo.remove('contact', a, { holdMs: 10_000 });
    const later = await freeze(db, undefined, Date.now() + 10_001);
    expect(later.changes.map((c) => c.op)).toEqual(['delete']);
    expect(later.heldUntil).toBeNull();
  });

  it('« Synchroniser maintenant » releases every hold', async () => {
    const a = await synced('Anne');
    await repo.remove('contact', a, { holdMs: 10_000 });
    await releaseHolds(db);
    expect(await nextHoldEnd(db)).toBeNull();
    expect((await freeze(db)).changes.map((c) => c.op)).toEqual(['delete']);
  });

  it('closing its toast lets it go (releaseHold), children included', async () => {
    const a = await synced('Anne');
    await repo.remove('contact', a, { holdMs: 10_000 });
    await repo.releaseHold('contact', a);
    expect(await nextHoldEnd(db)).toBeNull();
    expect((await freeze(db)).changes.map((c) => c.op)).toEqual(['delete']);
  });
});
