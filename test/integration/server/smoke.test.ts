import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { TestDevice, api } from '../helpers/client';
import { newId } from '../../../src-shared/sync/ids';
import { entityDef } from '../../../src-shared/registry';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: 'small' });
});
afterAll(async () => {
  await s?.close();
});

describe('server basics', () => {
  it('answers health', async () => {
    const r = await api<{ status: string; database: string }>(s.url, '/api/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
  });

  it('logs in, pulls its scope and pushes an edit', async () => {
    const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
    const d = await new TestDevice(s.url).login(u.email, u.password);
    expect(d.session.user.role).toBe('agent');
    expect(d.session.user.collectiviteNom).toBe('Saint-Brieuc');
    const pages = await d.pullAll();
    const recs = pages.flatMap((p) => p.changes);
    expect(recs.some((r) => r.entity === 'collectivite' && r.id === u.collectiviteId)).toBe(true);
    expect(
      recs.every(
        // National records (campagnes, reference lists) for everyone; else only its collectivité's.
        (r) =>
          entityDef(r.entity).scope === 'national' ||
          r.fields?.collectiviteId === u.collectiviteId ||
          r.id === u.collectiviteId,
      ),
    ).toBe(true);
    const contactId = newId();
    const r = await d.sync([
      d.change({
        entity: 'contact',
        op: 'create',
        record: contactId,
        fields: {
          collectiviteId: u.collectiviteId,
          categorie: 'elu',
          civilite: 'Mme',
          prenom: 'Anne',
          nom: 'Le Goff',
          fonction: 'Maire',
          courriel: 'anne.legoff@mairie.fr',
          telephone: null,
        },
      }),
    ]);
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ status: 'applied' });
    expect(r.body.changes).toEqual([]);
    const noop = await d.sync();
    expect(noop.body.changes).toEqual([]);
    expect(noop.body.more).toBe(false);
  });
});
