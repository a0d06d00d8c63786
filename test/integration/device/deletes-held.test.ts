// Issue 14, item 2: a delete made from a screen is held out of the sync for a while (its toast offers
// "Annuler"), online too; the engine sends it once the time is up, with no other edit to wake it.
// Real server (in-process, PGlite) and a simulated device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { loginDevice, startAgentServer, syncOk, type Device, type LocalServer } from '../helpers/devices';

const CODE = 'commune:35238';
const COLL = collectiviteId(CODE);
let server: LocalServer;
let user: { email: string; password: string };

beforeAll(async () => {
  ({ server, user } = await startAgentServer(CODE));
});
afterAll(async () => {
  await server?.close();
});

const loggedIn = (opts: Parameters<typeof loginDevice>[2] = {}): Promise<Device> => loginDevice(server, user, opts);

/** The record is on the server and not deleted (a delete leaves a tombstone row). */
async function onServer(id: string): Promise<boolean> {
  const rows = await server.internals.db.query<{ deleted: boolean }>('SELECT deleted FROM contact WHERE id = $1', [id]);
  return rows.length > 0 && !rows[0]!.deleted;
}

async function syncedContact(d: Device) {
  await syncOk(d);
  const c = await d.repo.create('contact', {
    collectiviteId: COLL,
    categorie: 'elu',
    civilite: 'Mme',
    prenom: 'Claire',
    nom: `Le Goff-Quéré ${Math.random()}`,
    fonction: 'Maire',
    courriel: 'claire.legoff@mairie-exemple.fr',
    telephone: null,
  });
  await syncOk(d);
  expect(await onServer(c.id)).toBe(true);
  return c.id;
}

describe('a delete held for its undo (issue 14)', () => {
  it('held: cycles in the hold do not send it, so undoing it later keeps the record on the server and on the device', async () => {
    const d = await loggedIn();
    const id = await syncedContact(d);
    await d.repo.remove('contact', id, { holdMs: 10_000 });
    const report = await syncOk(d);
    expect(report.sent).toBe(0);
    expect(await onServer(id)).toBe(true);
    expect(await d.repo.undoRemove('contact', id)).toBe(true);
    await syncOk(d);
    expect(await onServer(id)).toBe(true);
    expect(await d.repo.get('contact', id)).toBeDefined();
    expect(await d.db.outbox.count()).toBe(0);
  });

  it('an edit made after a held delete waits with it; once the hold is over, the delete and the edit are sent', async () => {
    const d = await loggedIn();
    const id = await syncedContact(d);
    const other = await syncedContact(d);
    await d.repo.remove('contact', id, { holdMs: 600 });
    await d.repo.update('contact', other, { fonction: 'Adjointe' });
    expect((await syncOk(d)).sent).toBe(0);
    await new Promise((r) => setTimeout(r, 700));
    expect((await syncOk(d)).sent).toBe(2);
    expect(await onServer(id)).toBe(false);
    expect(await d.db.outbox.count()).toBe(0);
  });

  it('a started engine sends a held delete when its time is up, with no other edit to wake it', async () => {
    const d = await loggedIn({ debounceMs: 50 });
    const id = await syncedContact(d);
    d.engine.start();
    try {
      await d.repo.remove('contact', id, { holdMs: 800 });
      await new Promise((r) => setTimeout(r, 400));
      expect(await onServer(id)).toBe(true);
      const deadline = Date.now() + 10_000;
      while ((await onServer(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await onServer(id)).toBe(false);
      expect(await d.repo.undoRemove('contact', id)).toBe(false);
    } finally {
      d.engine.stop();
    }
  });

  it('a delete without a hold (conflict resolution, the programmatic path) is sent by the next cycle', async () => {
    const d = await loggedIn();
    const id = await syncedContact(d);
    await d.repo.remove('contact', id);
    expect((await syncOk(d)).sent).toBe(1);
    expect(await onServer(id)).toBe(false);
  });
});
