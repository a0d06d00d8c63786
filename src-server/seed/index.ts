// Seeding: the small data set of the tests and the national demo data set, plus the demo accounts.
import { ENTITY_ORDER } from '../../src-shared/registry';
import { collectiviteId } from '../../src-shared/sync/ids';
import type { OfficialCollectivite } from '../../src-shared/reference/collectivites/types';
import type { AuthService } from '../auth/service';
import type { Db } from '../db/driver';
import { loadOfficialCollectivites } from '../reference/officialCollectivites';
import type { RevAllocator } from '../sync/revs';
import { chooseEngaged, generate, type DemoData } from './generate';
import { insertRecords } from './insert';

/** The 2015 circular's figures: 8,674 partner local authorities (coopérations) in 146 countries, and 753 other external actions. */
export const NATIONAL = { collectivites: 4_787, partenariats: 8_674, fiches: 12_756, actionsExterieures: 753 } as const;
export const SMALL_CODES = ['commune:22278', 'reg:53', 'commune:35238', 'commune:69123'] as const;

export const DEMO_PASSWORD = 'demo-atlas-2026';

export interface DemoAccount {
  role: 'agent' | 'sgar' | 'daect';
  email: string;
  password: string;
  description: string;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM collectivite LIMIT 1');
  return rows.length === 0;
}

export async function insertData(db: Db, revs: RevAllocator, data: DemoData): Promise<void> {
  const regions = new Map(data.collectivite.map((c) => [String(c.id), (c.region as string | null) ?? null]));
  for (const e of ENTITY_ORDER) await insertRecords(db, revs, e, data[e], (id) => regions.get(id) ?? null);
}

function smallData(): DemoData {
  const index = new Map(loadOfficialCollectivites().map((c) => [c.code, c]));
  const cols = SMALL_CODES.map((c) => index.get(c)).filter((c): c is OfficialCollectivite => !!c);
  return generate({ collectivites: cols, partenariats: 6, fiches: 9, actionsExterieures: 2, seed: 7 });
}

export async function seedSmall(db: Db, revs: RevAllocator): Promise<DemoData> {
  const data = smallData();
  await insertData(db, revs, data);
  return data;
}

/** The national demo data set and the four demo accounts. */
export async function seedNational(
  db: Db,
  revs: RevAllocator,
  auth: AuthService,
): Promise<{ accounts: DemoAccount[]; data: DemoData }> {
  const engaged = chooseEngaged(loadOfficialCollectivites(), NATIONAL.collectivites);
  const data = generate({
    collectivites: engaged,
    partenariats: NATIONAL.partenariats,
    fiches: NATIONAL.fiches,
    actionsExterieures: NATIONAL.actionsExterieures,
  });
  await insertData(db, revs, data);
  const smallCommune =
    engaged
      .filter((c) => c.type === 'commune' && c.region === '53')
      .sort((a, b) => (a.population ?? 0) - (b.population ?? 0))[0] ?? engaged.find((c) => c.type === 'commune')!;
  const accounts: DemoAccount[] = [
    {
      role: 'agent',
      email: 'agent.commune@demo.atlas.gouv.fr',
      password: DEMO_PASSWORD,
      description: `agent de la commune de ${smallCommune.nom}`,
    },
    {
      role: 'agent',
      email: 'agent.region@demo.atlas.gouv.fr',
      password: DEMO_PASSWORD,
      description: 'agent de la Région Bretagne',
    },
    {
      role: 'sgar',
      email: 'sgar.bretagne@demo.atlas.gouv.fr',
      password: DEMO_PASSWORD,
      description: 'SGAR de Bretagne',
    },
    {
      role: 'daect',
      email: 'daect@demo.atlas.gouv.fr',
      password: DEMO_PASSWORD,
      description: 'équipe nationale (DAECT)',
    },
  ];
  await auth.createUser({
    role: 'agent',
    email: accounts[0]!.email,
    password: DEMO_PASSWORD,
    nom: 'Agent de démonstration (commune)',
    fonction: 'Secrétaire de mairie',
    collectiviteId: collectiviteId(smallCommune.code),
  });
  await auth.createUser({
    role: 'agent',
    email: accounts[1]!.email,
    password: DEMO_PASSWORD,
    nom: 'Agent de démonstration (région)',
    fonction: 'Chargée de mission',
    collectiviteId: collectiviteId('reg:53'),
  });
  await auth.createUser({
    role: 'sgar',
    email: accounts[2]!.email,
    password: DEMO_PASSWORD,
    nom: 'SGAR de démonstration',
    fonction: 'Chargé d’instruction',
    region: '53',
  });
  await auth.createUser({
    role: 'daect',
    email: accounts[3]!.email,
    password: DEMO_PASSWORD,
    nom: 'DAECT de démonstration',
    fonction: 'Délégation',
  });
  return { accounts, data };
}

export function printAccounts(accounts: DemoAccount[], log: (s: string) => void = console.log) {
  log('Comptes de démonstration (mot de passe de démonstration, à ne jamais utiliser en production) :');
  for (const a of accounts) log(`  - ${a.description} : ${a.email} / ${a.password}`);
}
