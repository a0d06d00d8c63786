// Found by the chaos suite with one-page pulls: a first sync while a lower revision is still in flight
// stops at the watermark, so a record created below it and edited above it is left out of that pull,
// and arrives in the next one with only its edited field (the same hole as a first sync of several
// pages, with the watermark as the page boundary). Made deterministic here by holding a row lock from a
// second PostgreSQL connection, so a device's edit takes its revision and waits: PostgreSQL only.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { collectiviteId } from '../../src-shared/sync/ids';
import { ChaosDevice, ResultLog } from '../support/chaos-device';
import { ServerProcess } from '../support/server-process';

const adminDatabaseUrl = process.env.DATABASE_URL || null;

describe.skipIf(!adminDatabaseUrl)(
  'first sync across the watermark (PostgreSQL only: needs a second connection holding a row lock)',
  () => {
    it('a record created before the watermark and edited after it reaches a new device whole', async () => {
      const code = 'commune:35238';
      const cid = collectiviteId(code);
      const account = { email: 'agent.watermark@chaos.atlas.gouv.fr', password: 'filigrane-atlas-2026' };
      const server = await ServerProcess.create({
        users: [{ role: 'agent', ...account, collectiviteCode: code }],
        adminDatabaseUrl,
      });
      const lock = new pg.Client({ connectionString: server.data.databaseUrl! });
      try {
        await server.start();
        const [a, c, b] = [0, 1, 2].map((i) => new ChaosDevice(server.url, account, `device ${i}`, new ResultLog()));
        for (const d of [a!, c!, b!]) await d.login();
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          ids.push(
            (
              await a!.repo.create('contact', {
                collectiviteId: cid,
                categorie: 'elu',
                civilite: 'Mme',
                prenom: 'Anne',
                nom: `Nom ${i}`,
                fonction: 'Maire',
                courriel: `anne.${i}@mairie.fr`,
                telephone: null,
              })
            ).id,
          );
        }
        expect((await a!.engine.syncNow()).ok).toBe(true);
        expect((await c!.engine.syncNow()).ok).toBe(true);

        // c's edit of the first contact takes a revision and waits on the row lock: in flight.
        await lock.connect();
        await lock.query('BEGIN');
        await lock.query('SELECT 1 FROM contact WHERE id = $1 FOR UPDATE', [ids[0]]);
        await c!.repo.update('contact', ids[0]!, { fonction: 'DGS' });
        const inFlight = c!.engine.syncNow();
        const db = new pg.Client({ connectionString: server.data.databaseUrl! });
        await db.connect();
        // Wait until the edit is really waiting on the lock (its revision taken).
        for (let i = 0; i < 200; i++) {
          const waiting = await db.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
          );
          if (waiting.rowCount) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await db.end();
        // a edits the second contact: committed, above the revision in flight.
        await a!.repo.update('contact', ids[1]!, { fonction: 'Adjointe' });
        expect((await a!.engine.syncNow()).ok).toBe(true);

        // b's first sync (one page) meets the watermark; then the lock goes and b syncs again.
        expect((await b!.engine.syncNow()).ok).toBe(true);
        await lock.query('ROLLBACK');
        expect((await inFlight).ok).toBe(true);
        expect((await b!.engine.syncNow()).ok).toBe(true);

        const server2 = new ChaosDevice(server.url, account, 'observer', new ResultLog());
        await server2.login();
        expect((await server2.engine.syncNow()).ok).toBe(true);
        const whole = (await server2.records()).get(`contact:${ids[1]}`);
        expect(whole?.fonction).toBe('Adjointe');
        expect((await b!.records()).get(`contact:${ids[1]}`)).toEqual(whole);
      } finally {
        await lock.end().catch(() => undefined);
        await server.dispose();
      }
    }, 120_000);
  },
);
