// The CNCD server as a child process the chaos suite, the kill test and bench:link can SIGKILL and
// restart on the same data. Run with `node --import tsx test/support/server-child.ts`; configured by
// the same environment as `npm run server` (PORT, CNCD_DATA_DIR or DATABASE_URL…) plus
// CHAOS_USERS: JSON list of accounts to create when their e-mail is not there yet. Prints
// `READY <url>` on stdout once it listens.
import { z } from 'zod';
import { createServer } from '../../src-server/app';
import { loadConfig } from '../../src-server/config';

const users = z.array(
  z.object({
    role: z.enum(['agent', 'sgar', 'daect']),
    email: z.string(),
    password: z.string(),
    collectiviteCode: z.string().optional(),
    region: z.string().optional(),
  }),
);
export type ChildUser = z.infer<typeof users>[number];

async function main() {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SEED_DEMO: '0',
    AUTH_RATE_LIMIT: '100000',
    CNCD_APP_DIR: '/nonexistent-app-dir',
    ...process.env,
  });
  const server = await createServer(config);
  const { db, auth } = server.app.cncd;
  for (const u of users.parse(JSON.parse(process.env.CHAOS_USERS ?? '[]'))) {
    const exists = await db.query('SELECT 1 FROM users WHERE email = $1', [u.email.toLowerCase()]);
    if (exists.length) continue;
    const cid = u.collectiviteCode ? await auth.ensureCollectivite(u.collectiviteCode) : null;
    await auth.createUser({
      role: u.role,
      email: u.email,
      password: u.password,
      nom: `Compte ${u.role}`,
      collectiviteId: cid,
      region: u.region ?? null,
    });
  }
  const url = await server.listen();
  console.log(`READY ${url}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
