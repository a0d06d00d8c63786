// Storage and process lifecycle: the PGlite folder lock, idempotent migrations, the tables matching
// the registry schemas, graceful shutdown finishing in-flight syncs, the app served with a strict CSP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../src-server/app';
import { loadConfig } from '../../../src-server/config';
import { DataDirLockedError } from '../../../src-server/db/lock';
import { migrate } from '../../../src-server/db/driver';
import { META_COLUMNS, TABLE_DEFS } from '../../../src-server/sync/tables';
import { ENTITY_NAMES, entityFields } from '../../../src-shared/registry';
import { newId } from '../../../src-shared/sync/ids';
import { startTestServer } from '../helpers/testServer';
import { TestDevice } from '../helpers/client';

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cncd-'));
  tmp.push(d);
  return d;
};

describe.skipIf(!!process.env.DATABASE_URL)(
  'PGlite data folder (PGlite only: skipped when DATABASE_URL selects PostgreSQL)',
  () => {
    it('is locked: a second server on the same folder refuses to start with a clear message', async () => {
      const dir = tempDir();
      const config = loadConfig({ CNCD_DATA_DIR: dir, LOG_LEVEL: 'silent', SEED_DEMO: '0' });
      const a = await createServer(config);
      try {
        await expect(createServer(config)).rejects.toBeInstanceOf(DataDirLockedError);
        await expect(createServer(config)).rejects.toThrow(/déjà utilisé par un autre serveur/);
        // and from another process, through `npm run server`'s entry point
        const child = spawnSync(process.execPath, ['--import', 'tsx', 'src-server/main.ts'], {
          env: { ...process.env, CNCD_DATA_DIR: dir, PORT: '0', SEED_DEMO: '0', LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(child.status).toBe(2);
        expect(child.stderr + child.stdout).toMatch(/déjà utilisé par un autre serveur/);
      } finally {
        await a.close();
      }
      // released on close: the folder opens again, data intact, migrations idempotent
      const b = await createServer(config);
      expect(await migrate(b.app.cncd.db)).toEqual([]);
      await b.close();
    }, 90_000);

    it('takes over a lock left by a dead process', async () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'cncd.lock'), '999999\n');
      const s = await createServer(loadConfig({ CNCD_DATA_DIR: dir, LOG_LEVEL: 'silent' }));
      await s.close();
      expect(fs.existsSync(path.join(dir, 'cncd.lock'))).toBe(false);
    }, 90_000); // a fresh PGlite folder (initdb + migrations) is slow on a loaded 2-core machine
  },
);

describe('one definition', () => {
  it('gives each registry entity a table whose columns are its schema fields plus the sync metadata', async () => {
    const s = await startTestServer();
    try {
      for (const e of ENTITY_NAMES) {
        const cols = await s.internals.db.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()',
          [TABLE_DEFS[e].table],
        );
        const names = cols.map((c) => c.column_name).sort();
        expect(names).toEqual([...entityFields(e), ...META_COLUMNS].sort());
      }
    } finally {
      await s.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight sync cycles before closing', async () => {
    const s = await startTestServer({ seed: 'small' });
    const u = await s.createUser({ role: 'agent', collectiviteCode: 'commune:22278' });
    const devices = await Promise.all(
      Array.from({ length: 4 }, () => new TestDevice(s.url).login(u.email, u.password)),
    );
    let closeCalled = false;
    // Close once the server is inside all four cycles (counted on the real service), not after a fixed
    // delay: on a loaded machine a request may not have arrived yet, and would then be refused.
    const service = s.internals.sync;
    const realSync = service.sync.bind(service);
    let entered = 0;
    service.sync = (actor, req) => {
      entered++;
      return realSync(actor, req);
    };
    const cycles = devices.map((d) =>
      d
        .sync(
          Array.from({ length: 150 }, (_, i) =>
            d.change({
              entity: 'contact',
              op: 'create',
              record: newId(),
              fields: {
                collectiviteId: u.collectiviteId,
                categorie: 'cadre',
                prenom: 'P',
                nom: `N${i}`,
                fonction: 'F',
                courriel: `p${i}@mairie.fr`,
              },
            }),
          ),
        )
        .then((r) => ({ r, finishedAfterClose: closeCalled })),
    );
    while (entered < devices.length) await new Promise((r) => setImmediate(r));
    closeCalled = true;
    const closing = s.close();
    const done = await Promise.all(cycles);
    await closing;
    // the cycles were still running when the shutdown began, and all of them completed
    expect(done.some((x) => x.finishedAfterClose)).toBe(true);
    const results = done.map((x) => x.r);
    for (const r of results) {
      expect(r.status).toBe(200);
      expect(r.body.results.every((x) => x.status === 'applied')).toBe(true);
    }
  });
});

describe('the app for browsers', () => {
  it('serves out/renderer with an SPA fallback and a strict CSP', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="fr"><body>Atlas</body></html>');
    const s = await startTestServer({ serveApp: true, env: { CNCD_APP_DIR: dir } });
    try {
      for (const p of ['/', '/contacts/123']) {
        const r = await fetch(s.url + p);
        expect(r.status).toBe(200);
        expect(await r.text()).toContain('Atlas');
        const csp = r.headers.get('content-security-policy')!;
        expect(csp).toContain("default-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const api = await fetch(`${s.url}/api/v1/inconnu`);
      expect(api.status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
