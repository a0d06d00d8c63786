// Issue 11, item 2, at the repository level: an edit form left open across a sync. Two devices, each its
// own fake IndexedDB, against the real server (in-process, PGlite). The "form" is what the app's form
// code does: it opens on `editBase`, and its save (`saveEdit`) sends the fields the person changed with
// the bases it was opened on — here with the stale values a form still holds after a pull.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStatus } from '../../../src-renderer/db/hooks';
import { changedUnderneath, followLive, saveEdit } from '../../../src-renderer/ui/editSession';
import { contactSchema } from '../../../src-shared/domain/contact';
import { collectiviteId } from '../../../src-shared/sync/ids';
import { loginDevice, startAgentServer, syncOk, type Device, type LocalServer } from '../helpers/devices';

const CODE = 'commune:35238';
const COLL = collectiviteId(CODE);
const FIELDS = Object.keys(contactSchema.shape).filter((f) => f !== 'id');
let server: LocalServer;
let user: { email: string; password: string };

beforeAll(async () => {
  ({ server, user } = await startAgentServer(CODE));
});
afterAll(async () => {
  await server?.close();
});

const loggedIn = (): Promise<Device> => loginDevice(server, user);

/** The server's row, schema fields only. */
async function onServer(id: string): Promise<Record<string, unknown>> {
  const rows = await server.internals.db.query<Record<string, unknown>>('SELECT * FROM contact WHERE id = $1', [id]);
  const row = rows[0]!;
  return Object.fromEntries(FIELDS.map((f) => [f, row[f] ?? null]));
}

async function local(d: Device, id: string): Promise<Record<string, unknown>> {
  const r = (await d.repo.get('contact', id)) as Record<string, unknown>;
  return Object.fromEntries(FIELDS.map((f) => [f, r[f] ?? null]));
}

async function twoDevicesOnOneContact() {
  const a = await loggedIn();
  const b = await loggedIn();
  await syncOk(a);
  const c = await a.repo.create('contact', {
    collectiviteId: COLL,
    categorie: 'elu',
    civilite: 'Mme',
    prenom: 'Anne',
    nom: `Ouvert ${Math.random()}`,
    fonction: 'Maire',
    courriel: 'anne.martin@mairie-exemple.fr',
    telephone: null,
  });
  await syncOk(a);
  await syncOk(b);
  return { a, b, id: c.id };
}

/** A form on device `d` opened now on record `id`. */
async function openForm(d: Device, id: string) {
  const opened = (await d.repo.editBase('contact', id))!;
  const { id: _id, ...values } = opened.record as Record<string, unknown>;
  return { values, base: opened.base };
}

describe('an edit form left open while another device edits the record', () => {
  it('B changes fonction, A pulls it, then saves another field from the form it opened before: B’s fonction stays, A’s telephone is merged, all equal the server', async () => {
    const { a, b, id } = await twoDevicesOnOneContact();
    const form = await openForm(a, id);

    await b.repo.update('contact', id, { fonction: 'Adjointe aux relations internationales' });
    await syncOk(b);
    await syncOk(a);
    expect((await a.repo.get('contact', id))!.fonction).toBe('Adjointe aux relations internationales');

    // The form still holds the fonction it was opened with; the person changed the telephone only.
    const submitted = { ...form.values, telephone: '02 99 00 00 01' };
    await saveEdit(a.repo, 'contact', id, submitted, form.values, form.base);
    const [pending] = await a.db.outbox.toArray();
    expect(pending).toMatchObject({ op: 'update' });
    expect(Object.keys((pending as { fields: object }).fields)).toEqual(['telephone']);
    expect((await a.repo.get('contact', id))!).toMatchObject({
      fonction: 'Adjointe aux relations internationales',
      telephone: '02 99 00 00 01',
    });

    const ra = await syncOk(a);
    expect(ra.conflicts).toBe(0);
    await syncOk(b);
    const server = await onServer(id);
    expect(server).toMatchObject({ fonction: 'Adjointe aux relations internationales', telephone: '02 99 00 00 01' });
    expect(await local(a, id)).toEqual(server);
    expect(await local(b, id)).toEqual(server);
    expect(await a.db.conflicts.count()).toBe(0);
  });

  it('both change fonction: A’s save shows A’s value pending over B’s, then the server keeps B’s value and a conflict holds A’s; A’s other field is merged', async () => {
    const { a, b, id } = await twoDevicesOnOneContact();
    const form = await openForm(a, id);
    await b.repo.update('contact', id, { fonction: 'Version B' });
    await syncOk(b);
    await syncOk(a);

    await saveEdit(
      a.repo,
      'contact',
      id,
      { ...form.values, fonction: 'Version A', telephone: '02 99 00 00 02' },
      form.values,
      form.base,
    );
    // Locally: the person's value, pending, on top of the server's; based on what the form was opened on.
    expect((await a.repo.get('contact', id))!).toMatchObject({ fonction: 'Version A', telephone: '02 99 00 00 02' });
    expect(await recordStatus('contact', id, a.db)).toBe('pending');
    const [entry] = await a.db.outbox.toArray();
    const fields = (entry as { fields: Record<string, { base: number | null }> }).fields;
    expect(fields.fonction!.base).toBe(form.base.bases.fonction);
    const meta = await a.db.meta.get(['contact', id]);
    expect(meta!.fields!.fonction).toBe('Version B');
    expect(fields.fonction!.base).toBeLessThan(meta!.fieldRevs.fonction ?? meta!.rev);

    const ra = await syncOk(a);
    expect(ra.conflicts).toBe(1);
    const [conflict] = await a.db.conflicts.toArray();
    expect(conflict).toMatchObject({ field: 'fonction', serverValue: 'Version B', proposedValue: 'Version A' });
    await syncOk(b);
    const server = await onServer(id);
    expect(server).toMatchObject({ fonction: 'Version B', telephone: '02 99 00 00 02' });
    expect(await local(a, id)).toEqual(server);
    expect(await local(b, id)).toEqual(server);
    expect(await recordStatus('contact', id, a.db)).toBe('conflict');
  });

  it('the person already typed the value B pulled in: nothing to send for that field, no conflict', async () => {
    const { a, b, id } = await twoDevicesOnOneContact();
    const form = await openForm(a, id);
    await b.repo.update('contact', id, { fonction: 'Même valeur' });
    await syncOk(b);
    await syncOk(a);
    await saveEdit(a.repo, 'contact', id, { ...form.values, fonction: 'Même valeur' }, form.values, form.base);
    expect(await a.db.outbox.count()).toBe(0);
    expect(await recordStatus('contact', id, a.db)).toBe('synced');
  });

  it('opened while A’s own edit of the field was in flight, answered since: saved over B’s later value it is a conflict, never an overwrite', async () => {
    const { a, b, id } = await twoDevicesOnOneContact();
    await a.repo.update('contact', id, { fonction: 'A1' });
    a.wire.loseResponses = 1;
    expect((await a.engine.syncNow()).ok).toBe(false);
    const form = await openForm(a, id);
    expect(form.base.bases.fonction).toBeNull();
    await syncOk(a); // the in-flight change is answered (applied once)
    await syncOk(b);
    await b.repo.update('contact', id, { fonction: 'B après A1' });
    await syncOk(b);
    await syncOk(a);
    await saveEdit(a.repo, 'contact', id, { ...form.values, fonction: 'A2' }, form.values, form.base);
    expect((await syncOk(a)).conflicts).toBe(1);
    expect((await onServer(id)).fonction).toBe('B après A1');
    expect((await a.db.conflicts.toArray()).find((c) => c.record === id)).toMatchObject({
      serverValue: 'B après A1',
      proposedValue: 'A2',
    });
  });

  it('the form follows the record: an untouched field takes the pulled value, a touched one keeps its opened base and is reported as changed underneath', async () => {
    const { a, b, id } = await twoDevicesOnOneContact();
    const form = await openForm(a, id);
    await b.repo.update('contact', id, { fonction: 'Par B', telephone: '02 99 00 00 09' });
    await syncOk(b);
    await syncOk(a);
    const live = (await a.repo.editBase('contact', id))!.base;
    const current = { ...form.values, telephone: '02 99 00 00 03', nom: 'Nom changé par A' };
    const next = followLive(form.base, live, current, form.values, live.values);
    expect(next.values.fonction).toBe('Par B');
    expect(next.bases.fonction).toBe(live.bases.fonction);
    expect(next.values.telephone).toBe(form.values.telephone);
    expect(next.bases.telephone).toBe(form.base.bases.telephone);
    expect(changedUnderneath({ ...current, fonction: 'Par B' }, next.values, live.values)).toEqual({
      telephone: '02 99 00 00 09',
    });
    await saveEdit(a.repo, 'contact', id, { ...current, fonction: 'Par B' }, next.values, next);
    expect((await syncOk(a)).conflicts).toBe(1);
    await syncOk(b);
    const server = await onServer(id);
    expect(server).toMatchObject({ fonction: 'Par B', telephone: '02 99 00 00 09', nom: 'Nom changé par A' });
    expect(await local(a, id)).toEqual(server);
    expect(await local(b, id)).toEqual(server);
  });
});
