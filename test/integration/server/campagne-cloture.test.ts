// Issue 15: an attestation is accepted only while its campaign is open on the server's French day. After
// the closing day, or before the opening day, creating or renewing one is refused with CAMPAIGN_CLOSED and
// the French sentence the device shows too; the DAECT moving the dates reopens it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jourEnFrance, jourEnLettres } from '../../../src-shared/domain/campagneEtat';
import { naturalId } from '../../../src-shared/sync/ids';
import type { Change } from '../../../src-shared/sync/protocol';
import { TestDevice } from '../helpers/client';
import { shiftDay } from '../helpers/fixtures';
import { startTestServer, type TestServer } from '../helpers/testServer';

let s: TestServer;
let agent: TestDevice;
let daect: TestDevice;
let cid: string;
// The server's day as the rule reads it (Europe/Paris).
const today = jourEnFrance(new Date());

beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
  const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
  cid = u.collectiviteId!;
  agent = await new TestDevice(s.url).login(u.email, u.password);
  const d = await s.createUser({ role: 'daect' });
  daect = await new TestDevice(s.url).login(d.email, d.password);
});
afterAll(async () => {
  await s?.close();
});

async function push(device: TestDevice, change: Omit<Change, 'id' | 'seq'>) {
  const r = await device.sync([device.change(change)]);
  expect(r.status).toBe(200);
  return r.body.results[0]!;
}

/** A campaign of the DAECT (years far from the seed's); returns its id and revision. */
async function campagne(annee: number, dateOuverture: string, dateCloture: string) {
  const id = naturalId('campagne', [annee]);
  const r = await push(daect, {
    entity: 'campagne',
    op: 'create',
    record: id,
    fields: { annee, dateOuverture, dateCloture },
  } as Omit<Change, 'id' | 'seq'>);
  expect(r.status).toBe('applied');
  return { id, rev: r.rev! };
}

function attest(campagneId: string, partie = 'contacts') {
  return push(agent, {
    entity: 'attestationCampagne',
    op: 'create',
    record: naturalId('attestationCampagne', [cid, campagneId, partie]),
    fields: { collectiviteId: cid, campagneId, partie, verifieeLe: new Date().toISOString(), par: 'Agent' },
  } as Omit<Change, 'id' | 'seq'>);
}

async function stored(id: string) {
  return (await s.internals.db.query('SELECT "verifieeLe", deleted FROM attestation_campagne WHERE id = $1', [id]))[0];
}

describe('closing of a campaign, on the server', () => {
  it('accepts attestations while open, the closing day included, and their renewal', async () => {
    const c = await campagne(2091, shiftDay(today, -10), today);
    const first = await attest(c.id);
    expect(first.status).toBe('applied');
    const renew = await push(agent, {
      entity: 'attestationCampagne',
      op: 'update',
      record: naturalId('attestationCampagne', [cid, c.id, 'contacts']),
      fields: {
        verifieeLe: { value: new Date().toISOString(), base: first.rev! },
        par: { value: 'Agent 2', base: first.rev! },
      },
    } as Omit<Change, 'id' | 'seq'>);
    expect(renew.status).toBe('applied');
  });

  it('refuses an attestation after the closing day with CAMPAIGN_CLOSED and the French sentence; nothing is written', async () => {
    const yesterday = shiftDay(today, -1);
    const c = await campagne(2092, shiftDay(today, -100), yesterday);
    const r = await attest(c.id);
    expect(r).toMatchObject({ status: 'rejected', code: 'CAMPAIGN_CLOSED' });
    expect(r.message).toBe(
      `La campagne 2092 est close depuis le ${jourEnLettres(yesterday)} : les attestations ne sont plus acceptées.`,
    );
    expect(await stored(naturalId('attestationCampagne', [cid, c.id, 'contacts']))).toBeUndefined();
  });

  it('refuses an attestation before the opening day', async () => {
    const tomorrow = shiftDay(today, 1);
    const c = await campagne(2093, tomorrow, shiftDay(today, 60));
    const r = await attest(c.id);
    expect(r).toMatchObject({ status: 'rejected', code: 'CAMPAIGN_CLOSED' });
    expect(r.message).toBe(
      `La campagne 2093 n’ouvre que le ${jourEnLettres(tomorrow)} : les attestations ne sont pas encore acceptées.`,
    );
  });

  it('refuses renewing an attestation once the DAECT has closed the campaign; moving the closing date reopens it', async () => {
    const c = await campagne(2094, shiftDay(today, -30), shiftDay(today, 30));
    const id = naturalId('attestationCampagne', [cid, c.id, 'reseaux']);
    const first = await attest(c.id, 'reseaux');
    expect(first.status).toBe('applied');
    const before = await stored(id);

    // Closed yesterday (the DAECT moves the closing date back).
    const closed = await push(daect, {
      entity: 'campagne',
      op: 'update',
      record: c.id,
      fields: { dateCloture: { value: shiftDay(today, -1), base: c.rev } },
    } as Omit<Change, 'id' | 'seq'>);
    expect(closed.status).toBe('applied');
    const renew = (base: number) =>
      push(agent, {
        entity: 'attestationCampagne',
        op: 'update',
        record: id,
        fields: { verifieeLe: { value: new Date().toISOString(), base } },
      } as Omit<Change, 'id' | 'seq'>);
    const refused = await renew(first.rev!);
    expect(refused).toMatchObject({ status: 'rejected', code: 'CAMPAIGN_CLOSED' });
    expect(refused.message).toContain('La campagne 2094 est close depuis le');
    expect(await stored(id)).toEqual(before);
    // A new part is refused too.
    expect((await attest(c.id, 'apd')).code).toBe('CAMPAIGN_CLOSED');

    // Reopened: the DAECT sets the closing date to today.
    const reopened = await push(daect, {
      entity: 'campagne',
      op: 'update',
      record: c.id,
      fields: { dateCloture: { value: today, base: closed.rev! } },
    } as Omit<Change, 'id' | 'seq'>);
    expect(reopened.status).toBe('applied');
    expect((await renew(first.rev!)).status).toBe('applied');
    expect((await attest(c.id, 'apd')).status).toBe('applied');
  });

  it('leaves the campaign itself and other entities alone: the DAECT edits a closed campaign', async () => {
    const c = await campagne(2095, shiftDay(today, -100), shiftDay(today, -50));
    const r = await push(daect, {
      entity: 'campagne',
      op: 'update',
      record: c.id,
      fields: { dateOuverture: { value: shiftDay(today, -120), base: c.rev } },
    } as Omit<Change, 'id' | 'seq'>);
    expect(r.status).toBe('applied');
  });
});
